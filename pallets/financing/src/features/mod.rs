//! The financing operations, one file per step, and the helpers they share.
//!
//! Every operation checks everything that can fail before it writes
//! anything; the ledger call (reserve, sell, pledge, release, hand back) is
//! the last thing that can fail, and the ledger itself fails without writing.
//! So a refused call leaves storage exactly as it was, and a financing step
//! and its ledger step happen together or not at all.

mod offer;
mod payout;
mod pruning;
mod recourse;
mod request;
mod settlement;

use crate::{pallet::*, types::*};
use frame_support::{ensure, traits::Time};
use pallet_receivables::{LedgerView, ReceivableLedger, Standing, Status};
use scf_primitives::{traits::ParticipantRegistry, Role};
use sp_runtime::DispatchResult;

impl<T: Config> Pallet<T> {
	/// The chain's time (ms).
	pub(crate) fn now() -> Moment {
		T::Time::now()
	}

	/// The request `id`.
	pub(crate) fn get_request(id: RequestId) -> Result<RequestOf<T>, Error<T>> {
		Requests::<T>::get(id).ok_or(Error::<T>::UnknownRequest)
	}

	/// `who` is an active participant.
	pub(crate) fn ensure_participant(who: &T::AccountId) -> Result<(), Error<T>> {
		ensure!(T::Participants::is_active(who), Error::<T>::NotParticipant);
		Ok(())
	}

	/// `who` is an active participant with the financier role.
	pub(crate) fn ensure_financier(who: &T::AccountId) -> Result<(), Error<T>> {
		ensure!(T::Participants::has_role(who, Role::Financier), Error::<T>::NotFinancier);
		Ok(())
	}

	/// The request `id`, asked by `who`, an active participant.
	pub(crate) fn load_as_holder(
		who: &T::AccountId,
		id: RequestId,
	) -> Result<RequestOf<T>, Error<T>> {
		let req = Self::get_request(id)?;
		ensure!(&req.holder == who, Error::<T>::NotHolder);
		Self::ensure_participant(who)?;
		Ok(req)
	}

	/// The request `id`, addressed to `who`, an active financier.
	pub(crate) fn load_as_financier(
		who: &T::AccountId,
		id: RequestId,
	) -> Result<RequestOf<T>, Error<T>> {
		let req = Self::get_request(id)?;
		ensure!(&req.financier == who, Error::<T>::WrongFinancier);
		Self::ensure_financier(who)?;
		Ok(req)
	}

	/// The request is at one of the `allowed` stages. Otherwise: `too_early`
	/// if it has not reached them yet, or the error naming the stage it is
	/// already in.
	pub(crate) fn ensure_stage(
		req: &RequestOf<T>,
		allowed: &[Stage],
		too_early: Error<T>,
	) -> Result<(), Error<T>> {
		let stage = req.state.stage();
		if allowed.contains(&stage) {
			return Ok(());
		}
		if allowed.iter().all(|a| stage < *a) {
			return Err(too_early);
		}
		Err(match stage {
			Stage::Requested => too_early,
			Stage::Offered => Error::<T>::AlreadyOffered,
			Stage::Accepted => Error::<T>::AlreadyAccepted,
			Stage::Funded => Error::<T>::AlreadyFunded,
			Stage::InRecourse => Error::<T>::InRecourse,
			Stage::Closed => Error::<T>::RequestClosed,
		})
	}

	/// The certificate `id` as the ledger sees it, refusing when it or its
	/// root is frozen.
	pub(crate) fn view_unfrozen(id: CertificateId) -> Result<LedgerView<T::AccountId>, Error<T>> {
		let view = T::Ledger::view(id).ok_or(Error::<T>::UnknownCertificate)?;
		ensure!(!view.frozen, Error::<T>::Frozen);
		Ok(view)
	}

	/// Ends the reservation an unfunded request holds on its certificate, if
	/// it still holds one (it lapses when the certificate falls overdue).
	/// Refused while the certificate is frozen. The ledger call is the last
	/// thing that can fail.
	pub(crate) fn end_reservation(req: &RequestOf<T>) -> DispatchResult {
		let view = Self::view_unfrozen(req.certificate)?;
		match view.status {
			Status::Live(Standing::Reserved { financier }) if financier == req.financier => {
				T::Ledger::release_reservation(req.certificate)
			},
			_ => Ok(()),
		}
	}

	/// Stores a request that has just closed (terminal `state`), drops it
	/// from `OpenRequest` and from its financier's open deals, and queues it
	/// for pruning.
	pub(crate) fn close(id: RequestId, mut req: RequestOf<T>, state: RequestStateOf<T>) {
		debug_assert!(state.stage() == Stage::Closed);
		if OpenRequest::<T>::get(req.certificate) == Some(id) {
			OpenRequest::<T>::remove(req.certificate);
		}
		OpenDeals::<T>::mutate_exists(&req.financier, |n| {
			*n = n.map(|n| n.saturating_sub(1)).filter(|n| *n > 0)
		});
		if req.state.is_unfunded() {
			Self::funded_or_closed(&req.holder);
		}
		req.state = state;
		Requests::<T>::insert(id, req);
		Self::queue_for_pruning(id, Self::now());
	}

	/// One of `holder`'s unfunded requests was funded or closed.
	pub(crate) fn funded_or_closed(holder: &T::AccountId) {
		UnfundedRequests::<T>::mutate_exists(holder, |n| {
			*n = n.map(|n| n.saturating_sub(1)).filter(|n| *n > 0)
		});
	}
}

/// A financier's open deals, for the participants pallet: it keeps the
/// `Financier` role of an account that has any.
impl<T: Config> scf_primitives::traits::FinancierDeals<T::AccountId> for Pallet<T> {
	fn open_deals(financier: &T::AccountId) -> u32 {
		OpenDeals::<T>::get(financier).unwrap_or(0)
	}
}
