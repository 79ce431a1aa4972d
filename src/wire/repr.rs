// SPDX-License-Identifier: GPL-2.0-or-later
//! What a CRQ entry means: parsed from, and emitted to, a [`Crq`] view.

use super::header;
use super::init_format;
use super::msg_type;
use super::transport_code;
use super::Crq;
use super::Error;
use super::Status;
use super::CRQ_ENTRY_SIZE;

/// One CRQ entry, by meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, defmt::Format)]
pub enum CrqRepr {
    /// Header 0x00: a free slot. Whatever the other bytes hold is not looked at.
    Empty,
    /// Header 0xC0, format 0x01: the partner registered its queue and says hello.
    Init,
    /// Header 0xC0, format 0x02: the answer to an [`CrqRepr::Init`].
    InitComplete,
    /// Header 0xFF: an event the platform reports about the transport.
    Transport(TransportEvent),
    /// Header 0x80: a VMC message.
    Vmc(VmcMessage),
}

/// Transport events (header 0xFF). Bytes 2..16 are unspecified and ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, defmt::Format)]
pub enum TransportEvent {
    /// 0x01: the partner partition failed.
    PartnerFailed,
    /// 0x02: the partner deregistered its CRQ.
    PartnerDeregistered,
    /// 0x04: the partner was terminated through ibm,partner-control.
    PartnerControlTerminate,
    /// 0x06: the partner was suspended or migrated; H_ENABLE_CRQ before sending again.
    PartnerSuspended,
    /// 0x09: prepare for client adapter suspend.
    PrepareForSuspend,
    /// 0x0A: client adapter resume.
    ClientResume,
    /// Any other code, kept so that the core can log and ignore it; not an error, since
    /// LoPAR may define new events and the platform sends them unasked.
    /// [`TransportEvent::from_code`] never puts a known code here.
    Unknown(u8),
}

impl TransportEvent {
    /// Decodes an event code.
    pub const fn from_code(code: u8) -> Self {
        match code {
            transport_code::PARTNER_FAILED => TransportEvent::PartnerFailed,
            transport_code::PARTNER_DEREGISTERED => TransportEvent::PartnerDeregistered,
            transport_code::PARTNER_CONTROL_TERMINATE => TransportEvent::PartnerControlTerminate,
            transport_code::PARTNER_SUSPENDED => TransportEvent::PartnerSuspended,
            transport_code::PREPARE_FOR_SUSPEND => TransportEvent::PrepareForSuspend,
            transport_code::CLIENT_RESUME => TransportEvent::ClientResume,
            other => TransportEvent::Unknown(other),
        }
    }

    /// The event code on the wire.
    pub const fn code(self) -> u8 {
        match self {
            TransportEvent::PartnerFailed => transport_code::PARTNER_FAILED,
            TransportEvent::PartnerDeregistered => transport_code::PARTNER_DEREGISTERED,
            TransportEvent::PartnerControlTerminate => transport_code::PARTNER_CONTROL_TERMINATE,
            TransportEvent::PartnerSuspended => transport_code::PARTNER_SUSPENDED,
            TransportEvent::PrepareForSuspend => transport_code::PREPARE_FOR_SUSPEND,
            TransportEvent::ClientResume => transport_code::CLIENT_RESUME,
            TransportEvent::Unknown(code) => code,
        }
    }
}

/// Who owns a buffer announced by Add Buffer, i.e. which direction it carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, defmt::Format)]
pub enum BufferOwner {
    /// 0: the management partition ("alpha" in the C driver); carries messages to the
    /// hypervisor.
    ManagementPartition,
    /// 1: the hypervisor; carries messages from the hypervisor.
    Hypervisor,
    /// Any other value, kept raw rather than rejected: the core still needs the session,
    /// index and buffer ID of the entry to answer it with a failing Add Buffer Response.
    Other(u8),
}

impl BufferOwner {
    /// Decodes the owner byte.
    pub const fn from_u8(value: u8) -> Self {
        match value {
            0 => BufferOwner::ManagementPartition,
            1 => BufferOwner::Hypervisor,
            other => BufferOwner::Other(other),
        }
    }

    /// The owner byte on the wire.
    pub const fn to_u8(self) -> u8 {
        match self {
            BufferOwner::ManagementPartition => 0,
            BufferOwner::Hypervisor => 1,
            BufferOwner::Other(value) => value,
        }
    }
}

/// The parameters traded by VMC Capabilities and its response. Each side then uses the
/// minimum of the two values; checking them is the core's job, not the codec's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, defmt::Format)]
pub struct Capabilities {
    /// Maximum number of independent HMC connections.
    pub max_hmcs: u8,
    /// Maximum number of buffers per HMC connection.
    pub pool_size: u16,
    /// Maximum message size in bytes.
    pub mtu: u32,
    /// Entries in the sender's CRQ; the receiver keeps at most half of that outstanding.
    pub crq_size: u16,
    /// Protocol version, high byte major, low byte minor.
    pub version: u16,
}

/// A VMC message (header 0x80). `hmc_session` is the session number (1..=255 in use),
/// `hmc_index` the connection index, `buffer_id` a buffer of that connection's pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, defmt::Format)]
pub enum VmcMessage {
    /// 0x01, management partition to hypervisor.
    Capabilities(Capabilities),
    /// 0x81, hypervisor to management partition.
    CapabilitiesResponse {
        /// Result of the exchange.
        status: Status,
        /// The hypervisor's values.
        capabilities: Capabilities,
    },
    /// 0x02: open the connection; `buffer_id` holds the RDMAed HMC ID.
    InterfaceOpen {
        /// Session number.
        hmc_session: u8,
        /// Connection index.
        hmc_index: u8,
        /// Buffer that carries the HMC ID.
        buffer_id: u16,
    },
    /// 0x82: the open's result; `buffer_id` returns to the management partition.
    InterfaceOpenResponse {
        /// Result of the open.
        status: Status,
        /// Session number.
        hmc_session: u8,
        /// Connection index.
        hmc_index: u8,
        /// Buffer handed back.
        buffer_id: u16,
    },
    /// 0x03: close the connection.
    InterfaceClose {
        /// Session number.
        hmc_session: u8,
        /// Connection index.
        hmc_index: u8,
    },
    /// 0x83: the close's result.
    InterfaceCloseResponse {
        /// Result of the close.
        status: Status,
        /// Session number.
        hmc_session: u8,
        /// Connection index.
        hmc_index: u8,
    },
    /// 0x04: the hypervisor hands a buffer to the management partition.
    AddBuffer {
        /// Session number.
        hmc_session: u8,
        /// Connection index.
        hmc_index: u8,
        /// The new buffer.
        buffer_id: u16,
        /// Which direction the buffer carries.
        owner: BufferOwner,
        /// The buffer's I/O bus address in the hypervisor's DMA window.
        lioba: u32,
    },
    /// 0x84: the management partition's answer to Add Buffer.
    AddBufferResponse {
        /// Result.
        status: Status,
        /// Session number.
        hmc_session: u8,
        /// Connection index.
        hmc_index: u8,
        /// The buffer concerned.
        buffer_id: u16,
    },
    /// 0x05: the hypervisor asks for a buffer back; the management partition picks which.
    RemoveBuffer {
        /// Session number.
        hmc_session: u8,
        /// Connection index.
        hmc_index: u8,
    },
    /// 0x85: the management partition's answer, naming the buffer it gave up.
    RemoveBufferResponse {
        /// Result.
        status: Status,
        /// Session number.
        hmc_session: u8,
        /// Connection index.
        hmc_index: u8,
        /// The buffer removed ([`INVALID_BUFFER_ID`](super::INVALID_BUFFER_ID) if none).
        buffer_id: u16,
    },
    /// 0x06, either direction: an HMC message of `msg_len` bytes waits in `buffer_id`.
    Signal {
        /// Session number.
        hmc_session: u8,
        /// Connection index.
        hmc_index: u8,
        /// Buffer holding the message; its ownership passes to the receiver.
        buffer_id: u16,
        /// Length of the message in bytes (bounding it is the core's job).
        msg_len: u32,
    },
}

impl VmcMessage {
    /// The message type byte.
    pub const fn msg_type(&self) -> u8 {
        match self {
            VmcMessage::Capabilities(_) => msg_type::CAP,
            VmcMessage::CapabilitiesResponse { .. } => msg_type::CAP_RESP,
            VmcMessage::InterfaceOpen { .. } => msg_type::OPEN,
            VmcMessage::InterfaceOpenResponse { .. } => msg_type::OPEN_RESP,
            VmcMessage::InterfaceClose { .. } => msg_type::CLOSE,
            VmcMessage::InterfaceCloseResponse { .. } => msg_type::CLOSE_RESP,
            VmcMessage::AddBuffer { .. } => msg_type::ADD_BUF,
            VmcMessage::AddBufferResponse { .. } => msg_type::ADD_BUF_RESP,
            VmcMessage::RemoveBuffer { .. } => msg_type::REM_BUF,
            VmcMessage::RemoveBufferResponse { .. } => msg_type::REM_BUF_RESP,
            VmcMessage::Signal { .. } => msg_type::SIGNAL,
        }
    }

    /// Reads the VMC message of a command/response entry.
    fn parse<T: AsRef<[u8]>>(crq: &Crq<T>) -> Result<Self, Error> {
        let status = Status::from_u8(crq.status());
        let hmc_session = crq.hmc_session();
        let hmc_index = crq.hmc_index();
        let buffer_id = crq.buffer_id();
        let message = match crq.msg_type() {
            msg_type::CAP => VmcMessage::Capabilities(parse_capabilities(crq)),
            msg_type::CAP_RESP => VmcMessage::CapabilitiesResponse {
                status,
                capabilities: parse_capabilities(crq),
            },
            msg_type::OPEN => VmcMessage::InterfaceOpen {
                hmc_session,
                hmc_index,
                buffer_id,
            },
            msg_type::OPEN_RESP => VmcMessage::InterfaceOpenResponse {
                status,
                hmc_session,
                hmc_index,
                buffer_id,
            },
            msg_type::CLOSE => VmcMessage::InterfaceClose {
                hmc_session,
                hmc_index,
            },
            msg_type::CLOSE_RESP => VmcMessage::InterfaceCloseResponse {
                status,
                hmc_session,
                hmc_index,
            },
            msg_type::ADD_BUF => VmcMessage::AddBuffer {
                hmc_session,
                hmc_index,
                buffer_id,
                owner: BufferOwner::from_u8(crq.owner()),
                lioba: crq.lioba(),
            },
            msg_type::ADD_BUF_RESP => VmcMessage::AddBufferResponse {
                status,
                hmc_session,
                hmc_index,
                buffer_id,
            },
            msg_type::REM_BUF => VmcMessage::RemoveBuffer {
                hmc_session,
                hmc_index,
            },
            msg_type::REM_BUF_RESP => VmcMessage::RemoveBufferResponse {
                status,
                hmc_session,
                hmc_index,
                buffer_id,
            },
            msg_type::SIGNAL => VmcMessage::Signal {
                hmc_session,
                hmc_index,
                buffer_id,
                msg_len: crq.msg_len(),
            },
            other => return Err(Error::UnknownType(other)),
        };
        Ok(message)
    }

    /// Writes the message's fields into an entry whose other bytes are already zero.
    fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, crq: &mut Crq<T>) {
        crq.set_msg_type(self.msg_type());
        match *self {
            VmcMessage::Capabilities(capabilities) => emit_capabilities(&capabilities, crq),
            VmcMessage::CapabilitiesResponse {
                status,
                capabilities,
            } => {
                crq.set_status(status.to_u8());
                emit_capabilities(&capabilities, crq);
            }
            VmcMessage::InterfaceOpen {
                hmc_session,
                hmc_index,
                buffer_id,
            } => emit_connection(crq, None, hmc_session, hmc_index, Some(buffer_id)),
            VmcMessage::InterfaceOpenResponse {
                status,
                hmc_session,
                hmc_index,
                buffer_id,
            }
            | VmcMessage::AddBufferResponse {
                status,
                hmc_session,
                hmc_index,
                buffer_id,
            }
            | VmcMessage::RemoveBufferResponse {
                status,
                hmc_session,
                hmc_index,
                buffer_id,
            } => emit_connection(crq, Some(status), hmc_session, hmc_index, Some(buffer_id)),
            VmcMessage::InterfaceClose {
                hmc_session,
                hmc_index,
            }
            | VmcMessage::RemoveBuffer {
                hmc_session,
                hmc_index,
            } => emit_connection(crq, None, hmc_session, hmc_index, None),
            VmcMessage::InterfaceCloseResponse {
                status,
                hmc_session,
                hmc_index,
            } => emit_connection(crq, Some(status), hmc_session, hmc_index, None),
            VmcMessage::AddBuffer {
                hmc_session,
                hmc_index,
                buffer_id,
                owner,
                lioba,
            } => {
                emit_connection(crq, None, hmc_session, hmc_index, Some(buffer_id));
                crq.set_owner(owner.to_u8());
                crq.set_lioba(lioba);
            }
            VmcMessage::Signal {
                hmc_session,
                hmc_index,
                buffer_id,
                msg_len,
            } => {
                emit_connection(crq, None, hmc_session, hmc_index, Some(buffer_id));
                crq.set_msg_len(msg_len);
            }
        }
    }
}

fn parse_capabilities<T: AsRef<[u8]>>(crq: &Crq<T>) -> Capabilities {
    Capabilities {
        max_hmcs: crq.max_hmcs(),
        pool_size: crq.pool_size(),
        mtu: crq.mtu(),
        crq_size: crq.crq_size(),
        version: crq.version(),
    }
}

fn emit_capabilities<T: AsRef<[u8]> + AsMut<[u8]>>(caps: &Capabilities, crq: &mut Crq<T>) {
    crq.set_max_hmcs(caps.max_hmcs);
    crq.set_pool_size(caps.pool_size);
    crq.set_mtu(caps.mtu);
    crq.set_crq_size(caps.crq_size);
    crq.set_version(caps.version);
}

/// Writes the fields shared by the HMC interface messages; absent ones stay zero.
fn emit_connection<T: AsRef<[u8]> + AsMut<[u8]>>(
    crq: &mut Crq<T>,
    status: Option<Status>,
    hmc_session: u8,
    hmc_index: u8,
    buffer_id: Option<u16>,
) {
    if let Some(status) = status {
        crq.set_status(status.to_u8());
    }
    crq.set_hmc_session(hmc_session);
    crq.set_hmc_index(hmc_index);
    if let Some(buffer_id) = buffer_id {
        crq.set_buffer_id(buffer_id);
    }
}

impl CrqRepr {
    /// Reads an entry. Reserved and undefined bytes are ignored (see the module docs);
    /// an unknown transport event code is [`TransportEvent::Unknown`], not an error.
    ///
    /// # Errors
    /// [`Error::UnknownClass`] for a reserved header byte, [`Error::UnknownType`] for an
    /// undefined VMC message type, [`Error::UnknownInitFormat`] for an initialisation
    /// entry that is neither Initialize nor Initialization Complete.
    pub fn parse<T: AsRef<[u8]>>(crq: &Crq<T>) -> Result<Self, Error> {
        match crq.header() {
            header::EMPTY => Ok(CrqRepr::Empty),
            header::COMMAND_RESPONSE => VmcMessage::parse(crq).map(CrqRepr::Vmc),
            header::INITIALIZATION => match crq.msg_type() {
                init_format::INIT => Ok(CrqRepr::Init),
                init_format::INIT_COMPLETE => Ok(CrqRepr::InitComplete),
                other => Err(Error::UnknownInitFormat(other)),
            },
            header::TRANSPORT_EVENT => Ok(CrqRepr::Transport(TransportEvent::from_code(
                crq.msg_type(),
            ))),
            other => Err(Error::UnknownClass(other)),
        }
    }

    /// Writes all sixteen bytes of the entry, reserved bytes as zero.
    ///
    /// This is for building a message to hand to H_SEND_CRQ (or a simulator's queue), not
    /// for writing into a live queue: it does not order the header byte after the rest.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, crq: &mut Crq<T>) {
        crq.clear();
        match self {
            CrqRepr::Empty => {}
            CrqRepr::Init => {
                crq.set_header(header::INITIALIZATION);
                crq.set_msg_type(init_format::INIT);
            }
            CrqRepr::InitComplete => {
                crq.set_header(header::INITIALIZATION);
                crq.set_msg_type(init_format::INIT_COMPLETE);
            }
            CrqRepr::Transport(event) => {
                crq.set_header(header::TRANSPORT_EVENT);
                crq.set_msg_type(event.code());
            }
            CrqRepr::Vmc(message) => {
                crq.set_header(header::COMMAND_RESPONSE);
                message.emit(crq);
            }
        }
    }

    /// Parses a whole entry held in an array.
    ///
    /// # Errors
    /// As [`CrqRepr::parse`].
    pub fn from_bytes(bytes: &[u8; CRQ_ENTRY_SIZE]) -> Result<Self, Error> {
        Crq::new_checked(&bytes[..]).and_then(|crq| CrqRepr::parse(&crq))
    }

    /// Emits the entry into a fresh array.
    pub fn to_bytes(&self) -> [u8; CRQ_ENTRY_SIZE] {
        let mut bytes = [0u8; CRQ_ENTRY_SIZE];
        if let Ok(mut crq) = Crq::new_checked(&mut bytes[..]) {
            self.emit(&mut crq);
        }
        bytes
    }

    /// The entry as the two doublewords H_SEND_CRQ takes (msg-high, msg-low): bytes 0..8
    /// and 8..16, each read big-endian, so the header is the top byte of the first.
    pub fn to_words(&self) -> [u64; 2] {
        let bytes = self.to_bytes();
        let high = bytes.first_chunk::<8>().copied().unwrap_or([0; 8]);
        let low = bytes.last_chunk::<8>().copied().unwrap_or([0; 8]);
        [u64::from_be_bytes(high), u64::from_be_bytes(low)]
    }

    /// Parses an entry given as two doublewords (the inverse of [`CrqRepr::to_words`]).
    ///
    /// # Errors
    /// As [`CrqRepr::parse`].
    pub fn from_words(words: [u64; 2]) -> Result<Self, Error> {
        let [high, low] = words;
        let mut bytes = [0u8; CRQ_ENTRY_SIZE];
        let source = high.to_be_bytes().into_iter().chain(low.to_be_bytes());
        for (byte, value) in bytes.iter_mut().zip(source) {
            *byte = value;
        }
        CrqRepr::from_bytes(&bytes)
    }
}
