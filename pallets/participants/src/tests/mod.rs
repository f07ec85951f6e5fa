//! Unit tests, one file per call or concern. Every test that touches the
//! runtime runs in `ExtBuilder::build_and_execute`, which checks the
//! pallet's invariants (`do_try_state`) when the test ends.

mod admit;
mod credit_lines;
mod extension;
mod genesis;
mod nonce_window;
mod reserve;
mod roles;
mod suspend;
mod try_state;
mod uscc;
