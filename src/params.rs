// SPDX-License-Identifier: GPL-2.0-or-later
//! Module parameters and the limits the core is built for.
//!
//! Names, defaults and ranges are the C driver's (`buf_pool_size`, `max_hmcs`,
//! `max_mtu`). The values are read once, clamped into range, and frozen in the
//! [`Params`] a [`Vmc`](crate::Vmc) is built with: nothing reads a live parameter later,
//! so changing one at run time cannot index past an array (C driver defect 21).

/// Most HMC connections the core has room for (the C driver's `MAX_HMCS`).
pub const MAX_HMCS: usize = 2;
/// Most buffers per HMC connection the core has room for.
pub const MAX_POOL: usize = 64;

/// Range and default of `buf_pool_size`.
pub const BUF_POOL_SIZE: Limit = Limit {
    min: 16,
    max: MAX_POOL as u32,
    default: 32,
};
/// Range and default of `max_hmcs`.
pub const MAX_HMCS_PARAM: Limit = Limit {
    min: 1,
    max: MAX_HMCS as u32,
    default: 1,
};
/// Range and default of `max_mtu`.
pub const MAX_MTU: Limit = Limit {
    min: 4096,
    max: 16384,
    default: 4096,
};

/// A parameter's range and default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Smallest accepted value.
    pub min: u32,
    /// Largest accepted value.
    pub max: u32,
    /// Value when none is given.
    pub default: u32,
}

impl Limit {
    /// `value` moved into range, and whether it had to be.
    pub const fn clamp(&self, value: i64) -> (u32, bool) {
        if value < self.min as i64 {
            (self.min, true)
        } else if value > self.max as i64 {
            (self.max, true)
        } else {
            (value as u32, false)
        }
    }
}

/// The parameters the core runs with: always within their [`Limit`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, defmt::Format)]
pub struct Params {
    buf_pool_size: u16,
    max_hmcs: u8,
    max_mtu: u32,
}

/// Which parameters [`Params::clamped`] had to move into range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, defmt::Format)]
pub struct Clamped {
    /// `buf_pool_size` was out of range.
    pub buf_pool_size: bool,
    /// `max_hmcs` was out of range.
    pub max_hmcs: bool,
    /// `max_mtu` was out of range.
    pub max_mtu: bool,
}

impl Clamped {
    /// Whether any value was changed.
    pub fn any(&self) -> bool {
        self.buf_pool_size || self.max_hmcs || self.max_mtu
    }
}

impl Default for Params {
    fn default() -> Self {
        Params {
            buf_pool_size: BUF_POOL_SIZE.default as u16,
            max_hmcs: MAX_HMCS_PARAM.default as u8,
            max_mtu: MAX_MTU.default,
        }
    }
}

impl Params {
    /// Parameters from raw values (as the module was loaded with), each clamped into
    /// its range; the second value says which were, so the caller can warn.
    pub fn clamped(buf_pool_size: i64, max_hmcs: i64, max_mtu: i64) -> (Params, Clamped) {
        let (pool, c_pool) = BUF_POOL_SIZE.clamp(buf_pool_size);
        let (hmcs, c_hmcs) = MAX_HMCS_PARAM.clamp(max_hmcs);
        let (mtu, c_mtu) = MAX_MTU.clamp(max_mtu);
        (
            // The limits are below u16::MAX and u8::MAX, so these casts are exact.
            Params {
                buf_pool_size: pool as u16,
                max_hmcs: hmcs as u8,
                max_mtu: mtu,
            },
            Clamped {
                buf_pool_size: c_pool,
                max_hmcs: c_hmcs,
                max_mtu: c_mtu,
            },
        )
    }

    /// Buffers per HMC connection we offer.
    pub fn buf_pool_size(&self) -> u16 {
        self.buf_pool_size
    }

    /// HMC connections we offer.
    pub fn max_hmcs(&self) -> u8 {
        self.max_hmcs
    }

    /// Largest message we offer to carry.
    pub fn max_mtu(&self) -> u32 {
        self.max_mtu
    }

    /// Number of [`LocalBuf`](crate::LocalBuf)s the platform must provide:
    /// `max_hmcs * buf_pool_size`, each at least `max_mtu` bytes, indexed
    /// `hmc_index * buf_pool_size + buffer_id`.
    pub fn local_buffers(&self) -> usize {
        self.max_hmcs as usize * self.buf_pool_size as usize
    }
}
