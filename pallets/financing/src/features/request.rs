//! Request (融资申请), request a split-off part, and cancel.

use crate::{pallet::*, types::*};
use frame_support::{ensure, pallet_prelude::*};
use pallet_receivables::ReceivableLedger;

impl<T: Config> Pallet<T> {
	/// The checks of a request that do not depend on the certificate.
	fn check_parties(
		holder: &T::AccountId,
		financier: &T::AccountId,
		wanted_advance: Amount,
		amount: Amount,
	) -> Result<(), Error<T>> {
		Self::ensure_participant(holder)?;
		Self::ensure_financier(financier)?;
		ensure!(holder != financier, Error::<T>::SelfFinancing);
		ensure!(wanted_advance > 0, Error::<T>::NoAdvance);
		ensure!(wanted_advance <= amount, Error::<T>::AdvanceTooHigh);
		let unfunded = UnfundedRequests::<T>::get(holder).unwrap_or(0);
		ensure!(unfunded < T::MaxOpenRequests::get(), Error::<T>::TooManyRequests);
		Ok(())
	}

	/// `holder` asks `financier` to finance the whole `certificate`. Returns
	/// the request's id.
	pub(crate) fn do_request(
		holder: T::AccountId,
		certificate: CertificateId,
		financier: T::AccountId,
		wanted_advance: Amount,
		kind: FinancingKind,
		split_from: Option<CertificateId>,
	) -> Result<RequestId, DispatchError> {
		let view = T::Ledger::view(certificate).ok_or(Error::<T>::UnknownCertificate)?;
		Self::check_parties(&holder, &financier, wanted_advance, view.amount)?;
		if let Some(open) = OpenRequest::<T>::get(certificate) {
			let funded = Requests::<T>::get(open).is_some_and(|r| !r.state.is_unfunded());
			return Err(if funded {
				Error::<T>::AlreadyFinanced
			} else {
				Error::<T>::AlreadyRequested
			}
			.into());
		}
		let id = NextRequestId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		// The ledger checks the certificate (active, unfrozen, held by
		// `holder`, before maturity) and reserves it: the last check.
		T::Ledger::reserve(&holder, certificate, &financier)?;

		let now = Self::now();
		NextRequestId::<T>::put(next);
		OpenRequest::<T>::insert(certificate, id);
		OpenDeals::<T>::mutate(&financier, |n| *n = Some(n.unwrap_or(0).saturating_add(1)));
		UnfundedRequests::<T>::mutate(&holder, |n| *n = Some(n.unwrap_or(0).saturating_add(1)));
		Requests::<T>::insert(
			id,
			Request {
				certificate,
				holder: holder.clone(),
				financier: financier.clone(),
				kind,
				amount: view.amount,
				due: view.due,
				wanted_advance,
				created: now,
				state: RequestState::Requested,
			},
		);
		Self::deposit_event(Event::<T>::Requested {
			request: id,
			certificate,
			holder,
			financier,
			kind,
			amount: view.amount,
			wanted_advance,
			due: view.due,
			split_from,
			at: now,
		});
		Ok(id)
	}

	/// `holder` splits `amount` off `certificate` and asks `financier` to
	/// finance that part. Returns the request's id.
	pub(crate) fn do_request_part(
		holder: T::AccountId,
		certificate: CertificateId,
		amount: Amount,
		financier: T::AccountId,
		wanted_advance: Amount,
		kind: FinancingKind,
	) -> Result<RequestId, DispatchError> {
		ensure!(T::Ledger::view(certificate).is_some(), Error::<T>::UnknownCertificate);
		// Everything `do_request` checks on the fresh part (an active part of
		// `holder`'s, before maturity, unfrozen, with no request) holds once
		// the split succeeds; the parties are checked here, before it.
		Self::check_parties(&holder, &financier, wanted_advance, amount)?;
		NextRequestId::<T>::get().checked_add(1).ok_or(Error::<T>::Overflow)?;
		let (part, _remainder) = T::Ledger::split_off(&holder, certificate, amount)?;
		Self::do_request(holder, part, financier, wanted_advance, kind, Some(certificate))
	}

	/// The holder `who` cancels request `id` before payout: before it
	/// accepted an offer, or once the accepted offer's payout deadline has
	/// passed (until then the deal is locked).
	pub(crate) fn do_cancel(who: T::AccountId, id: RequestId) -> DispatchResult {
		let req = Self::load_as_holder(&who, id)?;
		Self::ensure_stage(
			&req,
			&[Stage::Requested, Stage::Offered, Stage::Accepted],
			Error::<T>::RequestClosed,
		)?;
		let at = Self::now();
		if let RequestState::Accepted { terms, .. } = &req.state {
			ensure!(!terms.payout_open_at(at), Error::<T>::AwaitingPayout);
		}
		Self::end_reservation(&req)?;
		let (certificate, financier) = (req.certificate, req.financier.clone());
		Self::close(id, req, RequestState::Cancelled { at });
		Self::deposit_event(Event::<T>::Cancelled {
			request: id,
			certificate,
			holder: who,
			financier,
			at,
		});
		Ok(())
	}
}
