//! Read access for clients: the `ReceivablesApi` runtime API and the pallet
//! functions behind it.
//!
//! The runtime implements the API with this pallet's types:
//!
//! ```ignore
//! impl pallet_receivables::runtime_api::ReceivablesApi<
//!     Block,
//!     AccountId,
//!     pallet_receivables::CertificateOf<Runtime>,
//!     pallet_receivables::RootInfoOf<Runtime>,
//! > for Runtime {
//!     fn certificate(id: CertificateId) -> Option<CertificateOf<Runtime>> {
//!         Receivables::certificate(id)
//!     }
//!     fn lineage(root: CertificateId) -> Vec<CertificateOf<Runtime>> {
//!         Receivables::lineage(root)
//!     }
//!     fn holdings(who: AccountId) -> Vec<CertificateOf<Runtime>> {
//!         Receivables::holdings(&who)
//!     }
//!     fn root(root: CertificateId) -> Option<RootInfoOf<Runtime>> {
//!         Receivables::root(root)
//!     }
//! }
//! ```

use crate::{pallet::*, types::CertificateId};
use alloc::vec::Vec;
use codec::Codec;

sp_api::decl_runtime_apis! {
	/// Certificates, lineage trees, holdings and roots of the receivables
	/// ledger.
	///
	/// **Pruning.** A tree whose root is settled or cancelled is deleted
	/// `PruneAfter` after it closed (a constant of the pallet, 90 days in
	/// the runtime; `RootPruned` says when): from then on `certificate`
	/// and `root` return `None` and `lineage` is empty for it, as for an id
	/// never used (ids are never reused). Live certificates and their
	/// trees are never pruned. Its history stays in the indexer, which
	/// keeps what it mirrored when the chain deletes it; clients that need
	/// an old tree read it there. Closed financing requests are pruned the
	/// same way by the financing pallet.
	pub trait ReceivablesApi<AccountId, Certificate, Root>
	where
		AccountId: Codec,
		Certificate: Codec,
		Root: Codec,
	{
		/// The certificate `id`, live or not (`None` once its tree is pruned).
		fn certificate(id: CertificateId) -> Option<Certificate>;
		/// Every certificate of the tree of `root` (closed, settled and live),
		/// in creation order, so parents come before their children. Empty
		/// for an unknown root.
		fn lineage(root: CertificateId) -> Vec<Certificate>;
		/// The live certificates `who` holds or is offered, by id, in any
		/// standing (a certificate reserved for a financing request or
		/// pledged stays with its holder; a factored one is the
		/// financier's).
		fn holdings(who: AccountId) -> Vec<Certificate>;
		/// The record of `root`: face, due date, state, frozen.
		fn root(root: CertificateId) -> Option<Root>;
	}
}

impl<T: Config> Pallet<T> {
	/// The certificate `id`.
	pub fn certificate(id: CertificateId) -> Option<CertificateOf<T>> {
		Certificates::<T>::get(id)
	}

	/// Every certificate of the tree of `root`, by id (creation order).
	pub fn lineage(root: CertificateId) -> Vec<CertificateOf<T>> {
		let mut ids: Vec<CertificateId> = RootMembers::<T>::iter_key_prefix(root).collect();
		ids.sort_unstable();
		ids.into_iter().filter_map(Certificates::<T>::get).collect()
	}

	/// The live certificates held by (or offered to) `who`, by id.
	pub fn holdings(who: &T::AccountId) -> Vec<CertificateOf<T>> {
		let mut ids: Vec<CertificateId> = Holdings::<T>::iter_key_prefix(who).collect();
		ids.sort_unstable();
		ids.into_iter().filter_map(Certificates::<T>::get).collect()
	}

	/// The record of `root`.
	pub fn root(root: CertificateId) -> Option<RootInfoOf<T>> {
		Roots::<T>::get(root)
	}
}
