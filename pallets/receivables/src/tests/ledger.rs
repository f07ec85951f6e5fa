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
fn factoring_and_recourse() {
	run_test(|| {
		let id = active_root(S1, 300);
		assert_noop!(
			<L as ReceivableLedger<_>>::transfer_to_financier(&S2, id, &FIN),
			Error::<Test>::NotHolder
		);
		assert_noop!(
			<L as ReceivableLedger<_>>::transfer_to_financier(&S1, id, &OUTSIDER),
			Error::<Test>::ReceiverNotParticipant
		);
		assert_noop!(
			<L as ReceivableLedger<_>>::transfer_to_financier(&S1, id, &S1),
			Error::<Test>::SelfTransfer
		);
		assert_noop!(
			<L as ReceivableLedger<_>>::return_to_seller(&FIN, id),
			Error::<Test>::NotHolder
		);
		assert_noop!(
			<L as ReceivableLedger<_>>::return_to_seller(&S1, id),
			Error::<Test>::NotFinanced
		);
		assert_ok!(<L as ReceivableLedger<_>>::transfer_to_financier(&S1, id, &FIN));
		let c = cert(id);
		assert_eq!((c.holder, c.status), (FIN, Status::Live(Standing::Financed { seller: S1 })));
		assert_eq!(last_event(), Event::Financed { id, seller: S1, financier: FIN });
		assert_eq!(Receivables::holdings(&FIN).len(), 1);
		assert_noop!(
			<L as ReceivableLedger<_>>::transfer_to_financier(&FIN, id, &S2),
			Error::<Test>::AlreadyFinanced
		);
		// Overdue, then recourse.
		advance_to(c.due + GRACE + GRANULARITY, GRANULARITY * 120);
		assert_ok!(<L as ReceivableLedger<_>>::return_to_seller(&FIN, id));
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
		assert_ok!(<L as ReceivableLedger<_>>::transfer_to_financier(&S1, id, &FIN));
		assert_ok!(<L as ReceivableLedger<_>>::return_to_seller(&FIN, id));
		assert_eq!(status(id), Status::Live(Standing::Active));
		assert_eq!(cert(id).holder, S1);
		assert_ok!(Receivables::freeze(RuntimeOrigin::signed(REG), id, reason(1)));
		assert_noop!(
			<L as ReceivableLedger<_>>::transfer_to_financier(&S1, id, &FIN),
			Error::<Test>::Frozen
		);
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
		assert_ok!(<L as ReceivableLedger<_>>::pledge_to_financier(&S1, id, &FIN));
		advance_to(cert(id).due + GRACE + GRANULARITY, GRANULARITY * 120);
		assert_ok!(<L as ReceivableLedger<_>>::release_pledge(&FIN, id));
		assert_eq!(status(id), Status::Live(Standing::Overdue { encumbrance: None }));
	});
}

#[test]
fn no_financing_at_maturity() {
	run_test(|| {
		let id = active_root(S1, 300);
		set_now(cert(id).due);
		assert_noop!(
			<L as ReceivableLedger<_>>::pledge_to_financier(&S1, id, &FIN),
			Error::<Test>::Matured
		);
		assert_noop!(
			<L as ReceivableLedger<_>>::transfer_to_financier(&S1, id, &FIN),
			Error::<Test>::Matured
		);
	});
}
