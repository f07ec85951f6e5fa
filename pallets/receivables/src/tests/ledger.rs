use super::*;

type L = Receivables;

#[test]
fn view_and_holder_of() {
	run_test(|| {
		let id = active_root(S1, 300);
		let v = <L as ReceivableLedger<_>>::view(id).unwrap();
		assert_eq!((v.root, v.issuer, v.holder, v.amount), (id, CORE, S1, 300));
		assert!(!v.frozen);
		assert_eq!(<L as ReceivableLedger<_>>::holder_of(id), Some(S1));
		assert_eq!(<L as ReceivableLedger<_>>::holder_of(999), None);
		assert_ok!(Receivables::freeze_root(RuntimeOrigin::signed(REG), id, reason(1)));
		assert!(<L as ReceivableLedger<_>>::view(id).unwrap().frozen);
		assert_ok!(Receivables::unfreeze_root(RuntimeOrigin::signed(REG), id, reason(1)));
	});
}

#[test]
fn split_off_makes_two_active_parts_for_the_holder() {
	run_test(|| {
		let id = active_root(S1, 300);
		let (part, rem) = <L as ReceivableLedger<_>>::split_off(&S1, id, 100).unwrap();
		assert_eq!((cert(part).amount, cert(rem).amount), (100, 200));
		for c in [cert(part), cert(rem)] {
			assert_eq!((c.holder, c.tier, c.status), (S1, 1, Status::Live(Standing::Active)));
		}
		assert_eq!(status(id), Status::ClosedBySplit);
		assert_noop!(
			<L as ReceivableLedger<_>>::split_off(&S1, part, 100),
			Error::<Test>::ExceedsAmount
		);
		assert_noop!(
			<L as ReceivableLedger<_>>::split_off(&S1, rem, 195),
			Error::<Test>::BelowMinimum
		);
		assert_noop!(
			<L as ReceivableLedger<_>>::split_off(&S1, rem, 5),
			Error::<Test>::BelowMinimum
		);
		assert_noop!(<L as ReceivableLedger<_>>::split_off(&S2, rem, 50), Error::<Test>::NotHolder);
	});
}

#[test]
fn reserve_locks_an_active_certificate_for_one_financier() {
	run_test(|| {
		let id = active_root(S1, 300);
		assert_ok!(<L as ReceivableLedger<_>>::reserve(&S1, id, &FIN));
		assert_eq!(status(id), Status::Live(Standing::Reserved { financier: FIN }));
		assert_eq!(cert(id).holder, S1);
		assert_eq!(last_event(), Event::Reserved { id, holder: S1, financier: FIN });
		// The holder cannot use it, nor reserve it again, for anyone.
		assert_noop!(<L as ReceivableLedger<_>>::reserve(&S1, id, &FIN), Error::<Test>::Reserved);
		assert_noop!(<L as ReceivableLedger<_>>::reserve(&S1, id, &S2), Error::<Test>::Reserved);
		assert_noop!(<L as ReceivableLedger<_>>::split_off(&S1, id, 100), Error::<Test>::Reserved);
		assert_noop!(
			Receivables::split_transfer(
				RuntimeOrigin::signed(S1),
				id,
				parts(&[(S2, 100)]),
				docs(2)
			),
			Error::<Test>::Reserved
		);
		// Released: active again, usable.
		assert_ok!(<L as ReceivableLedger<_>>::release_reservation(id));
		assert_eq!(status(id), Status::Live(Standing::Active));
		assert_eq!(last_event(), Event::ReservationReleased { id, holder: S1, financier: FIN });
		assert_noop!(
			<L as ReceivableLedger<_>>::release_reservation(id),
			Error::<Test>::NotReserved
		);
	});
}

#[test]
fn reserve_refusals() {
	run_test(|| {
		let o = RuntimeOrigin::signed;
		let id = active_root(S1, 300);
		let r = |who, id, fin| <L as ReceivableLedger<_>>::reserve(&who, id, &fin);
		assert_noop!(r(S1, 999, FIN), Error::<Test>::UnknownCertificate);
		assert_noop!(r(S2, id, FIN), Error::<Test>::NotHolder);
		assert_noop!(r(S1, id, S1), Error::<Test>::SelfTransfer);
		assert_noop!(r(S1, id, OUTSIDER), Error::<Test>::ReceiverNotParticipant);
		assert_noop!(r(S1, id, SUSPENDED), Error::<Test>::ReceiverNotParticipant);
		// Pending.
		let pending = issue_to(S2, 300);
		assert_noop!(r(S2, pending, FIN), Error::<Test>::Pending);
		// Frozen, and frozen root.
		assert_ok!(Receivables::freeze(o(REG), id, reason(1)));
		assert_noop!(r(S1, id, FIN), Error::<Test>::Frozen);
		assert_ok!(Receivables::unfreeze(o(REG), id, reason(1)));
		assert_ok!(Receivables::freeze_root(o(REG), id, reason(1)));
		assert_noop!(r(S1, id, FIN), Error::<Test>::Frozen);
		assert_ok!(Receivables::unfreeze_root(o(REG), id, reason(1)));
		// Financed or pledged.
		let (a, b) = <L as ReceivableLedger<_>>::split_off(&S1, id, 100).unwrap();
		factor(S1, a, FIN);
		assert_noop!(r(FIN, a, S2), Error::<Test>::AlreadyFinanced);
		pledge(S1, b, FIN);
		assert_noop!(r(S1, b, FIN), Error::<Test>::AlreadyFinanced);
		// Closed.
		assert_noop!(r(S1, id, FIN), Error::<Test>::Closed);
		// At maturity, and overdue.
		let late = active_root(S3, 300);
		set_now(cert(late).due);
		assert_noop!(r(S3, late, FIN), Error::<Test>::Matured);
		advance_to(cert(late).due + GRACE + GRANULARITY, GRANULARITY * 120);
		assert_noop!(r(S3, late, FIN), Error::<Test>::Overdue);
	});
}

#[test]
fn release_reservation_refusals() {
	run_test(|| {
		let id = active_root(S1, 300);
		let rel = |id| <L as ReceivableLedger<_>>::release_reservation(id);
		assert_noop!(rel(999), Error::<Test>::UnknownCertificate);
		assert_noop!(rel(id), Error::<Test>::NotReserved);
		assert_ok!(<L as ReceivableLedger<_>>::reserve(&S1, id, &FIN));
		assert_ok!(Receivables::freeze(RuntimeOrigin::signed(REG), id, reason(1)));
		assert_noop!(rel(id), Error::<Test>::Frozen);
		assert_ok!(Receivables::unfreeze(RuntimeOrigin::signed(REG), id, reason(1)));
		assert_eq!(status(id), Status::Live(Standing::Reserved { financier: FIN }));
		assert_ok!(rel(id));
	});
}

#[test]
fn a_frozen_reservation_thaws_back_into_a_reservation() {
	run_test(|| {
		let id = active_root(S1, 300);
		assert_ok!(<L as ReceivableLedger<_>>::reserve(&S1, id, &FIN));
		assert_ok!(Receivables::freeze(RuntimeOrigin::signed(REG), id, reason(1)));
		assert_eq!(
			status(id),
			Status::Frozen { previous: Standing::Reserved { financier: FIN }, reason: reason(1) }
		);
		assert_noop!(
			<L as ReceivableLedger<_>>::transfer_to_financier(&S1, id, &FIN),
			Error::<Test>::Frozen
		);
		assert_ok!(Receivables::unfreeze(RuntimeOrigin::signed(REG), id, reason(2)));
		assert_eq!(status(id), Status::Live(Standing::Reserved { financier: FIN }));
	});
}

#[test]
fn a_reservation_lapses_when_overdue() {
	run_test(|| {
		let id = active_root(S1, 300);
		assert_ok!(<L as ReceivableLedger<_>>::reserve(&S1, id, &FIN));
		advance_to(cert(id).due + GRACE + GRANULARITY, GRANULARITY * 120);
		assert_eq!(status(id), Status::Live(Standing::Overdue { encumbrance: None }));
		assert!(events().contains(&Event::BecameOverdue {
			id,
			root: id,
			holder: S1,
			amount: 300,
			encumbrance: None
		}));
		assert_noop!(
			<L as ReceivableLedger<_>>::release_reservation(id),
			Error::<Test>::NotReserved
		);
		assert_noop!(
			<L as ReceivableLedger<_>>::transfer_to_financier(&S1, id, &FIN),
			Error::<Test>::Overdue
		);
	});
}

#[test]
fn factoring_and_recourse() {
	run_test(|| {
		let id = active_root(S1, 300);
		// Only a certificate reserved for that financier can be sold to it.
		assert_noop!(
			<L as ReceivableLedger<_>>::transfer_to_financier(&S1, id, &FIN),
			Error::<Test>::NotReserved
		);
		assert_ok!(<L as ReceivableLedger<_>>::reserve(&S1, id, &FIN));
		assert_noop!(
			<L as ReceivableLedger<_>>::transfer_to_financier(&S2, id, &FIN),
			Error::<Test>::NotHolder
		);
		assert_noop!(
			<L as ReceivableLedger<_>>::transfer_to_financier(&S1, id, &S2),
			Error::<Test>::NotReserved
		);
		assert_noop!(
			<L as ReceivableLedger<_>>::transfer_to_financier(&S1, id, &OUTSIDER),
			Error::<Test>::NotReserved
		);
		assert_noop!(
			<L as ReceivableLedger<_>>::return_to_seller(&FIN, id),
			Error::<Test>::NotHolder
		);
		assert_noop!(
			<L as ReceivableLedger<_>>::return_to_seller(&S1, id),
			Error::<Test>::NotFinanced
		);
		// The financier was suspended after the reservation.
		set_active(FIN, false);
		assert_noop!(
			<L as ReceivableLedger<_>>::transfer_to_financier(&S1, id, &FIN),
			Error::<Test>::ReceiverNotParticipant
		);
		set_active(FIN, true);
		assert_ok!(<L as ReceivableLedger<_>>::transfer_to_financier(&S1, id, &FIN));
		let c = cert(id);
		assert_eq!((c.holder, c.status), (FIN, Status::Live(Standing::Factored { seller: S1 })));
		assert_eq!(last_event(), Event::Financed { id, seller: S1, financier: FIN });
		assert_eq!(Receivables::holdings(&FIN).len(), 1);
		assert_noop!(
			<L as ReceivableLedger<_>>::transfer_to_financier(&FIN, id, &S2),
			Error::<Test>::AlreadyFinanced
		);
		// Overdue, then recourse, even though the seller was suspended
		// meanwhile: suspension does not cancel what it owes.
		advance_to(c.due + GRACE + GRANULARITY, GRANULARITY * 120);
		set_active(S1, false);
		assert_ok!(<L as ReceivableLedger<_>>::return_to_seller(&FIN, id));
		set_active(S1, true);
		let c = cert(id);
		assert_eq!(
			(c.holder, c.status),
			(S1, Status::Live(Standing::Overdue { encumbrance: None }))
		);
		assert_eq!(last_event(), Event::RecourseReturned { id, financier: FIN, seller: S1 });
		assert_noop!(
			<L as ReceivableLedger<_>>::return_to_seller(&S1, id),
			Error::<Test>::NotFinanced
		);
	});
}

#[test]
fn recourse_before_maturity_reactivates() {
	run_test(|| {
		let id = active_root(S1, 300);
		factor(S1, id, FIN);
		assert_ok!(<L as ReceivableLedger<_>>::return_to_seller(&FIN, id));
		assert_eq!(status(id), Status::Live(Standing::Active));
		assert_eq!(cert(id).holder, S1);
		assert_ok!(Receivables::freeze(RuntimeOrigin::signed(REG), id, reason(1)));
		assert_noop!(<L as ReceivableLedger<_>>::reserve(&S1, id, &FIN), Error::<Test>::Frozen);
		assert_ok!(Receivables::unfreeze(RuntimeOrigin::signed(REG), id, reason(1)));
	});
}

#[test]
fn pledge_and_release() {
	run_test(|| {
		let id = active_root(S1, 300);
		assert_noop!(
			<L as ReceivableLedger<_>>::release_pledge(&FIN, id),
			Error::<Test>::NotFinanced
		);
		assert_noop!(
			<L as ReceivableLedger<_>>::pledge_to_financier(&S1, id, &FIN),
			Error::<Test>::NotReserved
		);
		assert_ok!(<L as ReceivableLedger<_>>::reserve(&S1, id, &FIN));
		assert_noop!(
			<L as ReceivableLedger<_>>::pledge_to_financier(&S1, id, &S2),
			Error::<Test>::NotReserved
		);
		assert_noop!(
			<L as ReceivableLedger<_>>::pledge_to_financier(&S2, id, &FIN),
			Error::<Test>::NotHolder
		);
		assert_ok!(<L as ReceivableLedger<_>>::pledge_to_financier(&S1, id, &FIN));
		assert_eq!(status(id), Status::Live(Standing::Pledged { pledgee: FIN }));
		assert_eq!(cert(id).holder, S1);
		assert_eq!(last_event(), Event::Pledged { id, holder: S1, pledgee: FIN });
		assert_noop!(
			<L as ReceivableLedger<_>>::pledge_to_financier(&S1, id, &FIN),
			Error::<Test>::AlreadyFinanced
		);
		assert_noop!(
			<L as ReceivableLedger<_>>::release_pledge(&S2, id),
			Error::<Test>::NotFinanced
		);
		assert_ok!(<L as ReceivableLedger<_>>::release_pledge(&FIN, id));
		assert_eq!(status(id), Status::Live(Standing::Active));
		assert_eq!(last_event(), Event::PledgeReleased { id, holder: S1, pledgee: FIN });
		// Pledged, then overdue, then released: overdue without claim.
		pledge(S1, id, FIN);
		advance_to(cert(id).due + GRACE + GRANULARITY, GRANULARITY * 120);
		assert_ok!(<L as ReceivableLedger<_>>::release_pledge(&FIN, id));
		assert_eq!(status(id), Status::Live(Standing::Overdue { encumbrance: None }));
	});
}

#[test]
fn no_financing_at_maturity() {
	run_test(|| {
		let id = active_root(S1, 300);
		assert_ok!(<L as ReceivableLedger<_>>::reserve(&S1, id, &FIN));
		set_now(cert(id).due);
		assert_noop!(
			<L as ReceivableLedger<_>>::pledge_to_financier(&S1, id, &FIN),
			Error::<Test>::Matured
		);
		assert_noop!(
			<L as ReceivableLedger<_>>::transfer_to_financier(&S1, id, &FIN),
			Error::<Test>::Matured
		);
		// The reservation can still be given back.
		assert_ok!(<L as ReceivableLedger<_>>::release_reservation(id));
	});
}
