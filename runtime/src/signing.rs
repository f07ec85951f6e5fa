//! Building signed extrinsics natively (std only), for the node's benchmark
//! builders, the test harness and tools: the transaction extensions a client
//! sends, and the payload it signs.

use crate::{AccountId, Hash, Nonce, RuntimeCall, SignedPayload, TxExtension, UncheckedExtrinsic};
use codec::Encode;
use scf_primitives::Signature;
use sp_runtime::generic::Era;

/// The extensions of an immortal transaction with `nonce`.
pub fn tx_extension(nonce: Nonce) -> TxExtension {
	(
		frame_system::CheckNonZeroSender::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		frame_system::CheckEra::from(Era::Immortal),
		pallet_participants::CheckParticipant::new(),
		pallet_participants::CheckNonce::from(nonce),
		frame_system::CheckWeight::new(),
	)
}

/// `call` by `signer` with `nonce`, immortal, on the chain with `genesis`:
/// `sign` is given the signed payload (hashed first if longer than 256
/// bytes, as the runtime checks it) and returns the signature.
pub fn signed_extrinsic(
	call: RuntimeCall,
	signer: AccountId,
	nonce: Nonce,
	genesis: Hash,
	sign: impl FnOnce(&[u8]) -> Signature,
) -> UncheckedExtrinsic {
	signed_extrinsic_for(crate::VERSION.spec_version, call, signer, nonce, genesis, sign)
}

/// [`signed_extrinsic`] for a chain whose runtime is at `spec_version` (the
/// signed payload carries it): after an upgrade, the chain's, not this
/// crate's.
pub fn signed_extrinsic_for(
	spec_version: u32,
	call: RuntimeCall,
	signer: AccountId,
	nonce: Nonce,
	genesis: Hash,
	sign: impl FnOnce(&[u8]) -> Signature,
) -> UncheckedExtrinsic {
	let ext = tx_extension(nonce);
	// What each extension adds to the signed payload without carrying it.
	let implicit =
		((), spec_version, crate::VERSION.transaction_version, genesis, genesis, (), (), ());
	let payload = SignedPayload::from_raw(call.clone(), ext.clone(), implicit);
	let signature = payload.using_encoded(sign);
	UncheckedExtrinsic::new_signed(call, signer.into(), signature, ext)
}
