//! Recourse (追索): the holder of an overdue financed certificate owes the
//! advance until the financier confirms the repayment. A factored
//! certificate goes back to the holder at once; a pledged one stays pledged
//! to the financier until the repayment is confirmed, or until settlement
//! pays the financier out of it. A pledge repaid before that can be released
//! by the financier (`release_pledge`).

use crate::{pallet::*, types::*};
use frame_support::{ensure, pallet_prelude::*};
use pallet_receivables::{ReceivableLedger, Status};

impl<T: Config> Pallet<T> {
	/// The financier `who` exercises recourse on request `id`.
	pub(crate) fn do_exercise_recourse(who: T::AccountId, id: RequestId) -> DispatchResult {
		let mut req = Self::load_as_financier(&who, id)?;
		Self::ensure_stage(&req, &[Stage::Funded], Error::<T>::NotFunded)?;
		let RequestState::Funded { terms, payment_ref, at: funded_at, .. } = req.state.clone()
		else {
			return Err(Error::<T>::NotFunded.into());
		};
		ensure!(terms.recourse, Error::<T>::NoRecourse);
		let view = Self::view_unfrozen(req.certificate)?;
		ensure!(
			matches!(&view.status, Status::Live(s) if s.is_overdue_with_claim()),
			Error::<T>::NotOverdue
		);
		// The last check, and the first change: the ledger step. A pledge
		// stays until the repayment is confirmed.
		if req.kind == FinancingKind::Factoring {
			T::Ledger::return_to_seller(&who, req.certificate)?;
			OpenRequest::<T>::remove(req.certificate);
		}

		let now = Self::now();
		let debtor = req.holder.clone();
		RecourseClaims::<T>::insert(
			id,
			RecourseClaim { debtor: debtor.clone(), amount: terms.advance },
		);
		req.state = RequestState::InRecourse { terms, payment_ref, funded_at, at: now };
		let (certificate, kind) = (req.certificate, req.kind);
		Requests::<T>::insert(id, req);
		Self::deposit_event(Event::<T>::RecourseExercised {
			request: id,
			certificate,
			financier: who,
			debtor,
			kind,
			owed: terms.advance,
			at: now,
		});
		Ok(())
	}

	/// The financier `who` confirms the holder repaid on request `id`.
	pub(crate) fn do_confirm_repayment(
		who: T::AccountId,
		id: RequestId,
		payment_ref: PaymentRefOf<T>,
	) -> DispatchResult {
		let req = Self::load_as_financier(&who, id)?;
		Self::ensure_stage(&req, &[Stage::InRecourse], Error::<T>::NoClaim)?;
		let RequestState::InRecourse { terms, .. } = req.state else {
			return Err(Error::<T>::NoClaim.into());
		};
		let claim = RecourseClaims::<T>::get(id).ok_or(Error::<T>::NoClaim)?;
		// The last check, and the first change: a pledge is released.
		if req.kind == FinancingKind::Pledge {
			Self::view_unfrozen(req.certificate)?;
			T::Ledger::release_pledge(&who, req.certificate)?;
		}

		RecourseClaims::<T>::remove(id);
		Self::close_repaid(id, req, terms, who, claim.debtor, claim.amount, payment_ref);
		Ok(())
	}
}

impl<T: Config> Pallet<T> {
	/// The financier `who` releases the pledge of funded request `id`: the
	/// pledgor repaid it before maturity (or before recourse).
	pub(crate) fn do_release_pledge(
		who: T::AccountId,
		id: RequestId,
		payment_ref: PaymentRefOf<T>,
	) -> DispatchResult {
		let req = Self::load_as_financier(&who, id)?;
		Self::ensure_stage(&req, &[Stage::Funded], Error::<T>::NotFunded)?;
		let RequestState::Funded { terms, .. } = req.state else {
			return Err(Error::<T>::NotFunded.into());
		};
		ensure!(req.kind == FinancingKind::Pledge, Error::<T>::NotPledge);
		Self::view_unfrozen(req.certificate)?;
		// The last check, and the first change: the ledger step.
		T::Ledger::release_pledge(&who, req.certificate)?;

		let debtor = req.holder.clone();
		Self::close_repaid(id, req, terms, who, debtor, terms.advance, payment_ref);
		Ok(())
	}

	/// Closes request `id` as repaid to `financier` by `debtor` (`amount`,
	/// with the repayment's reference) and says so.
	fn close_repaid(
		id: RequestId,
		req: RequestOf<T>,
		terms: Terms,
		financier: T::AccountId,
		debtor: T::AccountId,
		amount: Amount,
		payment_ref: PaymentRefOf<T>,
	) {
		let now = Self::now();
		let certificate = req.certificate;
		Self::close(
			id,
			req,
			RequestState::Repaid { terms, payment_ref: payment_ref.clone(), at: now },
		);
		Self::deposit_event(Event::<T>::Repaid {
			request: id,
			certificate,
			financier,
			debtor,
			amount,
			payment_ref,
			at: now,
		});
	}
}
