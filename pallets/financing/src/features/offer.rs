//! Offer (报价), withdraw the offer, decline, and accept the offer.

use crate::{pallet::*, types::*};
use frame_support::{ensure, pallet_prelude::*};

impl<T: Config> Pallet<T> {
	/// The financier `who` offers `terms` on request `id`.
	pub(crate) fn do_offer(who: T::AccountId, id: RequestId, terms: Terms) -> DispatchResult {
		let mut req = Self::load_as_financier(&who, id)?;
		Self::ensure_stage(&req, &[Stage::Requested], Error::<T>::NotOffered)?;
		Self::view_unfrozen(req.certificate)?;
		let now = Self::now();
		ensure!(now < req.due, Error::<T>::Matured);
		ensure!(terms.advance > 0, Error::<T>::NoAdvance);
		ensure!(terms.advance <= req.amount, Error::<T>::AdvanceTooHigh);
		ensure!(terms.discount_bps <= T::MaxDiscountBps::get(), Error::<T>::DiscountTooHigh);
		ensure!(terms.expires > now, Error::<T>::ExpiryInPast);
		ensure!(terms.expires <= req.due, Error::<T>::ExpiryAfterDue);
		ensure!(terms.expires <= terms.payout_by, Error::<T>::PayoutBeforeExpiry);
		ensure!(terms.payout_by <= req.due, Error::<T>::PayoutAfterDue);

		req.state = RequestState::Offered { terms };
		let (certificate, holder) = (req.certificate, req.holder.clone());
		Requests::<T>::insert(id, req);
		Self::deposit_event(Event::<T>::Offered {
			request: id,
			certificate,
			financier: who,
			holder,
			advance: terms.advance,
			discount_bps: terms.discount_bps,
			recourse: terms.recourse,
			expires: terms.expires,
			payout_by: terms.payout_by,
			at: now,
		});
		Ok(())
	}

	/// The financier `who` withdraws its offer on request `id`.
	pub(crate) fn do_withdraw_offer(who: T::AccountId, id: RequestId) -> DispatchResult {
		let mut req = Self::load_as_financier(&who, id)?;
		Self::ensure_stage(&req, &[Stage::Offered], Error::<T>::NotOffered)?;
		req.state = RequestState::Requested;
		let (certificate, holder) = (req.certificate, req.holder.clone());
		Requests::<T>::insert(id, req);
		Self::deposit_event(Event::<T>::OfferWithdrawn {
			request: id,
			certificate,
			financier: who,
			holder,
			at: Self::now(),
		});
		Ok(())
	}

	/// The financier `who` declines request `id`, at any stage before
	/// payout (after acceptance too: a financier is never bound to pay).
	pub(crate) fn do_decline(who: T::AccountId, id: RequestId) -> DispatchResult {
		let req = Self::load_as_financier(&who, id)?;
		Self::ensure_stage(
			&req,
			&[Stage::Requested, Stage::Offered, Stage::Accepted],
			Error::<T>::RequestClosed,
		)?;
		Self::end_reservation(&req)?;
		let (certificate, holder) = (req.certificate, req.holder.clone());
		let at = Self::now();
		Self::close(id, req, RequestState::Declined { at });
		Self::deposit_event(Event::<T>::Declined {
			request: id,
			certificate,
			financier: who,
			holder,
			at,
		});
		Ok(())
	}

	/// The holder `who` accepts the offer on request `id`, naming the
	/// `terms` it saw; refused if the standing offer is not exactly those.
	pub(crate) fn do_accept_offer(
		who: T::AccountId,
		id: RequestId,
		named: Terms,
	) -> DispatchResult {
		let mut req = Self::load_as_holder(&who, id)?;
		Self::ensure_stage(&req, &[Stage::Offered], Error::<T>::NotOffered)?;
		let RequestState::Offered { terms } = req.state else {
			return Err(Error::<T>::NotOffered.into());
		};
		ensure!(terms == named, Error::<T>::OfferChanged);
		Self::view_unfrozen(req.certificate)?;
		let now = Self::now();
		// `expires <= payout_by <= due`, so this also means "before maturity".
		ensure!(terms.acceptable_at(now), Error::<T>::OfferExpired);

		req.state = RequestState::Accepted { terms, at: now };
		let (certificate, financier) = (req.certificate, req.financier.clone());
		Requests::<T>::insert(id, req);
		Self::deposit_event(Event::<T>::OfferAccepted {
			request: id,
			certificate,
			holder: who,
			financier,
			advance: terms.advance,
			discount_bps: terms.discount_bps,
			recourse: terms.recourse,
			payout_by: terms.payout_by,
			at: now,
		});
		Ok(())
	}
}
