//! Weights of this chain, generated on the project's own machine kind
//! (2 cores; each file's header has the command that made it). Nothing here
//! is an upstream reference figure.
//!
//! - Our pallets and the upstream ones the runtime uses (`frame_system`,
//!   its transaction extensions, `pallet_timestamp`, `pallet_collective`):
//!   `scf-node benchmark pallet`. Regenerate after changing a pallet:
//!
//!   ```sh
//!   scf-node benchmark pallet --chain dev --pallet pallet_receivables \
//!       --extrinsic '*' --steps 10 --repeat 5 \
//!       --output runtime/src/weights/pallet_receivables.rs
//!   ```
//!
//!   The runtime's own pallets (`validators`) are benchmarked the same way
//!   (`--pallet validators`); the generated file names the pallet by its
//!   bare path, so add `use crate::validators;` below its imports.
//!   `frame_system_extensions` also prices the participants pallet's
//!   `CheckNonce` replacement, which does frame-system's nonce work plus a
//!   comparison with a constant.
//! - `paritydb_weights.rs`, the `DbWeight`: `scf-node benchmark storage` on
//!   a stopped validator's ParityDB database (see its header), with
//!   `--batch-size 1000` because a block commits its writes as one batch (a
//!   full block of splits writes a few thousand items; a batch of one
//!   charges each write a whole commit, about 3 × the batched p99) and
//!   `--metric p99`. The database held 43,148 keys (5,600 opening
//!   certificates and 200 suppliers from `scripts/bench.sh --suppliers 200
//!   --certificates 100`, about 1/18 of the seed's scale); rerun it on a
//!   database at the seed's scale when the load generator can fill one.
//! - `block_weights.rs` and `extrinsic_weights.rs`: `scf-node benchmark
//!   overhead` (an empty block, and the per-transaction base from blocks of
//!   sr25519 remarks signed by several keyring accounts).

pub mod block_weights;
pub mod extrinsic_weights;
pub mod frame_system;
pub mod frame_system_extensions;
pub mod pallet_collective;
pub mod pallet_financing;
pub mod pallet_participants;
pub mod pallet_receivables;
pub mod pallet_timestamp;
pub mod paritydb_weights;
pub mod validators;
