//! Confirm the payout (放款确认): the certificate is sold or pledged to the
//! financier in the same step.

use crate::{pallet::*, types::*};
use frame_support::{ensure, pallet_prelude::*};
use pallet_receivables::ReceivableLedger;

impl<T: Config> Pallet<T> {
	/// The financier `who` confirms it paid out on request `id`.
	pub(crate) fn do_confirm_payout(
		who: T::AccountId,
		id: RequestId,
		payment_ref: PaymentRefOf<T>,
	) -> DispatchResult {
		let mut req = Self::load_as_financier(&who, id)?;
		Self::ensure_stage(&req, &[Stage::Accepted], Error::<T>::NotAccepted)?;
		let RequestState::Accepted { terms, .. } = req.state else {
			return Err(Error::<T>::NotAccepted.into());
		};
		Self::view_unfrozen(req.certificate)?;
		let now = Self::now();
		ensure!(now < req.due, Error::<T>::Matured);
		ensure!(terms.payout_open_at(now), Error::<T>::PayoutDeadlinePassed);
		let discount = discount(terms.advance, terms.discount_bps, now, req.due);
		// The last check, and the first change: the ledger step.
		match req.kind {
			FinancingKind::Factoring => {
				T::Ledger::transfer_to_financier(&req.holder, req.certificate, &who)?
			},
			FinancingKind::Pledge => {
				T::Ledger::pledge_to_financier(&req.holder, req.certificate, &who)?
			},
		}

		Self::funded_or_closed(&req.holder);
		req.state =
			RequestState::Funded { terms, discount, payment_ref: payment_ref.clone(), at: now };
		let (certificate, holder, kind) = (req.certificate, req.holder.clone(), req.kind);
		Requests::<T>::insert(id, req);
		Self::deposit_event(Event::<T>::PayoutConfirmed {
			request: id,
			certificate,
			holder,
			financier: who,
			kind,
			advance: terms.advance,
			discount_bps: terms.discount_bps,
			discount,
			recourse: terms.recourse,
			payment_ref,
			at: now,
		});
		Ok(())
	}
}
