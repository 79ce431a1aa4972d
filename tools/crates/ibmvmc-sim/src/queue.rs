// SPDX-License-Identifier: GPL-2.0-or-later
//! The partition's CRQ as the hypervisor fills it, the hypervisor's in-order backlog
//! of entries that did not fit, and the trace of entries in both directions.

use ibmvmc::wire::CRQ_ENTRY_SIZE;

use crate::Direction;
use crate::BACKLOG_CAPACITY;
use crate::MAX_CRQ_ENTRIES;
use crate::TRACE_LEN;

/// One 16-byte entry.
pub(crate) type Entry = [u8; CRQ_ENTRY_SIZE];

/// Header bit that marks a valid entry (LoPAR: the slot is in use).
const VALID: u8 = 0x80;

/// The partition's queue: `len` slots used circularly. The hypervisor writes at
/// `tail`, the partition reads at `head`; valid entries are contiguous from `head`.
pub(crate) struct PartitionQueue {
    slots: [Entry; MAX_CRQ_ENTRIES],
    len: u16,
    head: u16,
    tail: u16,
    valid: u16,
}

impl PartitionQueue {
    pub(crate) const fn new(len: u16) -> Self {
        PartitionQueue {
            slots: [[0; CRQ_ENTRY_SIZE]; MAX_CRQ_ENTRIES],
            len,
            head: 0,
            tail: 0,
            valid: 0,
        }
    }

    /// Zeroes every slot and restarts both cursors (H_REG_CRQ of a zeroed queue).
    pub(crate) fn reset(&mut self) {
        for slot in self.slots.iter_mut() {
            *slot = [0; CRQ_ENTRY_SIZE];
        }
        self.head = 0;
        self.tail = 0;
        self.valid = 0;
    }

    /// Valid entries waiting for the partition.
    pub(crate) fn valid(&self) -> u16 {
        self.valid
    }

    fn advance(&self, at: u16) -> u16 {
        match (at as u32 + 1).checked_rem(self.len as u32) {
            Some(next) => next as u16,
            None => 0,
        }
    }

    /// Writes `entry` into the slot at the tail if it is free: bytes 1..16 first, the
    /// header last (the order H_SEND_CRQ stores them in). False if the slot is in use.
    pub(crate) fn try_push(&mut self, entry: &Entry) -> bool {
        let Some(slot) = self.slots.get_mut(self.tail as usize) else {
            return false;
        };
        if slot.first().is_some_and(|h| h & VALID != 0) {
            return false;
        }
        for (dst, src) in slot.iter_mut().zip(entry.iter()).skip(1) {
            *dst = *src;
        }
        if let (Some(dst), Some(src)) = (slot.first_mut(), entry.first()) {
            *dst = *src;
        }
        self.tail = self.advance(self.tail);
        self.valid = self.valid.saturating_add(1);
        true
    }

    /// The partition takes the entry at its cursor, if valid, and frees the slot by
    /// writing its header back to zero.
    pub(crate) fn pop(&mut self) -> Option<Entry> {
        let slot = self.slots.get_mut(self.head as usize)?;
        let header = slot.first_mut()?;
        if *header & VALID == 0 {
            return None;
        }
        let entry = *slot;
        if let Some(header) = slot.first_mut() {
            *header = 0;
        }
        self.head = self.advance(self.head);
        self.valid = self.valid.saturating_sub(1);
        Some(entry)
    }
}

/// The hypervisor's entries for the partition that are kept back, oldest first.
pub(crate) struct Backlog {
    entries: [Entry; BACKLOG_CAPACITY],
    head: usize,
    len: usize,
}

impl Backlog {
    pub(crate) const fn new() -> Self {
        Backlog {
            entries: [[0; CRQ_ENTRY_SIZE]; BACKLOG_CAPACITY],
            head: 0,
            len: 0,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub(crate) fn clear(&mut self) {
        self.head = 0;
        self.len = 0;
    }

    /// Appends; false if full.
    pub(crate) fn push(&mut self, entry: Entry) -> bool {
        if self.len >= BACKLOG_CAPACITY {
            return false;
        }
        let at = (self.head + self.len) % BACKLOG_CAPACITY;
        match self.entries.get_mut(at) {
            Some(slot) => {
                *slot = entry;
                self.len += 1;
                true
            }
            None => false,
        }
    }

    pub(crate) fn front(&self) -> Option<Entry> {
        if self.len == 0 {
            return None;
        }
        self.entries.get(self.head).copied()
    }

    pub(crate) fn pop_front(&mut self) {
        if self.len > 0 {
            self.head = (self.head + 1) % BACKLOG_CAPACITY;
            self.len -= 1;
        }
    }
}

/// The last [`TRACE_LEN`] entries in both directions.
pub(crate) struct Trace {
    entries: [Entry; TRACE_LEN],
    to_partition: [bool; TRACE_LEN],
    next: usize,
    len: usize,
}

impl Trace {
    pub(crate) const fn new() -> Self {
        Trace {
            entries: [[0; CRQ_ENTRY_SIZE]; TRACE_LEN],
            to_partition: [false; TRACE_LEN],
            next: 0,
            len: 0,
        }
    }

    pub(crate) fn record(&mut self, direction: Direction, entry: &Entry) {
        if let (Some(slot), Some(dir)) = (
            self.entries.get_mut(self.next),
            self.to_partition.get_mut(self.next),
        ) {
            *slot = *entry;
            *dir = direction == Direction::ToPartition;
        }
        self.next = (self.next + 1) % TRACE_LEN;
        self.len = (self.len + 1).min(TRACE_LEN);
    }

    /// Calls `f` on each recorded entry, oldest first.
    pub(crate) fn for_each(&self, f: &mut dyn FnMut(Direction, &Entry)) {
        let start = (self.next + TRACE_LEN - self.len) % TRACE_LEN;
        for i in 0..self.len {
            let at = (start + i) % TRACE_LEN;
            if let (Some(entry), Some(&to_partition)) =
                (self.entries.get(at), self.to_partition.get(at))
            {
                let direction = if to_partition {
                    Direction::ToPartition
                } else {
                    Direction::ToHypervisor
                };
                f(direction, entry);
            }
        }
    }
}
