// SPDX-License-Identifier: GPL-2.0-or-later
//! Anchor crate: building it builds every crate ibmvmc.ko links. It has no code.
#![no_std]
