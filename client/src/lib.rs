#![doc = include_str!("../README.md")]
//!
//! Client-side pieces for the SCF chain, shared by the tests here and by the
//! indexer, the ERP bridge and the load generator:
//!
//! - [`ScfConfig`], the subxt configuration for this chain: 32-byte account
//!   ids, `MultiAddress<AccountId, ()>` and the chain's own signature enum
//!   (sr25519, ed25519, ecdsa, SM2), which subxt's stock configurations do
//!   not know;
//! - [`Sm2Signer`], a subxt signer for SM2 keys: it signs the transaction
//!   payload with SM2 (SM3 digest, default user id) and sends the compressed
//!   public key with the signature, since SM2 cannot recover it;
//! - [`Sr25519Signer`], the same for sr25519 keys (development accounts).
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use scf_client::{ScfConfig, Sm2Signer, OnlineClient};
//! let api = OnlineClient::<ScfConfig>::from_insecure_url("ws://127.0.0.1:9945").await?;
//! let signer = Sm2Signer::new(scf_primitives::sm2::Sm2Pair::generate());
//! let remark = subxt::dynamic::tx("System", "remark", vec![subxt::dynamic::Value::from_bytes(b"hi")]);
//! let events = api
//!     .tx()
//!     .await?
//!     .sign_and_submit_then_watch_default(&remark, &signer)
//!     .await?
//!     .wait_for_finalized_success()
//!     .await?;
//! # let _ = events; Ok(()) }
//! ```

use scf_primitives::{sm2::Sm2Pair, AccountId, Signature};
use sp_core::Pair as _;
use subxt::config::{Config, DefaultTransactionExtensions, SubstrateConfig};
pub use subxt::{utils::Static, OnlineClient};

/// The subxt configuration of the SCF chain.
#[derive(Debug, Clone, Default)]
pub struct ScfConfig(SubstrateConfig);

impl Config for ScfConfig {
	type AccountId = subxt::utils::AccountId32;
	type Address = subxt::utils::MultiAddress<Self::AccountId, ()>;
	/// The runtime's own enum, encoded as the runtime encodes it.
	type Signature = Static<Signature>;
	type AssetId = <SubstrateConfig as Config>::AssetId;
	type Hasher = <SubstrateConfig as Config>::Hasher;
	type Header = <SubstrateConfig as Config>::Header;
	type TransactionExtensions = DefaultTransactionExtensions<ScfConfig>;

	fn genesis_hash(&self) -> Option<subxt::config::HashFor<Self>> {
		self.0.genesis_hash()
	}
	fn legacy_types_for_spec_version<'this>(
		&'this self,
		spec_version: u32,
	) -> Option<scale_info_legacy::TypeRegistrySet<'this>> {
		self.0.legacy_types_for_spec_version(spec_version)
	}
	fn metadata_for_spec_version(&self, spec_version: u32) -> Option<subxt::ArcMetadata> {
		self.0.metadata_for_spec_version(spec_version)
	}
	fn set_metadata_for_spec_version(&self, spec_version: u32, metadata: subxt::ArcMetadata) {
		self.0.set_metadata_for_spec_version(spec_version, metadata);
	}
	fn spec_and_transaction_version_for_block_number(
		&self,
		block_number: u64,
	) -> Option<(u32, u32)> {
		self.0.spec_and_transaction_version_for_block_number(block_number)
	}
}

/// The subxt form of an account id.
pub fn subxt_account(id: &AccountId) -> subxt::utils::AccountId32 {
	subxt::utils::AccountId32(*id.as_ref())
}

/// Signs transactions with an SM2 key.
pub struct Sm2Signer {
	pair: Sm2Pair,
	account: AccountId,
}

impl Sm2Signer {
	/// A signer for `pair`; its account is the SM3 hash of its public key.
	pub fn new(pair: Sm2Pair) -> Self {
		let account = pair.public().account_id();
		Self { pair, account }
	}

	/// Its account id.
	pub fn account(&self) -> &AccountId {
		&self.account
	}
}

impl subxt::transactions::Signer<ScfConfig> for Sm2Signer {
	fn account_id(&self) -> subxt::utils::AccountId32 {
		subxt_account(&self.account)
	}

	fn sign(&self, signer_payload: &[u8]) -> Static<Signature> {
		Static(Signature::Sm2(self.pair.sign(signer_payload)))
	}
}

/// Signs transactions with an sr25519 key (development accounts).
pub struct Sr25519Signer(pub sp_core::sr25519::Pair);

impl subxt::transactions::Signer<ScfConfig> for Sr25519Signer {
	fn account_id(&self) -> subxt::utils::AccountId32 {
		subxt::utils::AccountId32(self.0.public().0)
	}

	fn sign(&self, signer_payload: &[u8]) -> Static<Signature> {
		Static(Signature::Sr25519(self.0.sign(signer_payload)))
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use codec::Encode;
	use sp_runtime::traits::Verify;
	use subxt::transactions::Signer;

	#[test]
	fn sm2_signer_signs_for_its_account() {
		let signer = Sm2Signer::new(Sm2Pair::generate());
		let Static(sig) = signer.sign(b"payload");
		let account = signer.account().clone();
		assert_eq!(&signer.account_id().0, AsRef::<[u8; 32]>::as_ref(&account));
		assert!(sig.verify(&b"payload"[..], &account));
		assert!(!sig.verify(&b"other"[..], &account));
		// Encoded as the runtime decodes it: variant 3, then the SM2 body.
		assert_eq!(sig.encode()[0], 3);
	}

	#[test]
	fn sr25519_signer_matches_the_keyring_account() {
		let pair = sp_core::sr25519::Pair::from_string("//Alice", None).unwrap();
		let signer = Sr25519Signer(pair.clone());
		let Static(sig) = signer.sign(b"payload");
		let account = AccountId::from(pair.public());
		assert_eq!(&signer.account_id().0, AsRef::<[u8; 32]>::as_ref(&account));
		assert!(sig.verify(&b"payload"[..], &account));
	}
}
