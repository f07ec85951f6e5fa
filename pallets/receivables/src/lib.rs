//! Work in progress.
#![cfg_attr(not(feature = "std"), no_std)]
