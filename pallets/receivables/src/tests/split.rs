use super::*;

#[test]
fn split_transfer_creates_children_and_a_remainder() {
	run_test(|| {
		let root = active_root(S1, 1_000);
		System::reset_events();
		assert_ok!(Receivables::split_transfer(
			RuntimeOrigin::signed(S1),
			root,
			parts(&[(S2, 300), (S3, 200)]),
			docs(5)
		));
		let deadline = now() + ACCEPT_TIMEOUT;
		assert_eq!(status(root), Status::ClosedBySplit);
		let (a, b, rem) = (cert(root + 1), cert(root + 2), cert(root + 3));
		for c in [&a, &b, &rem] {
			assert_eq!(
				(c.root, c.parent, c.issuer, c.due),
				(root, Some(root), CORE, cert(root).due)
			);
		}
		assert_eq!((a.holder, a.amount, a.tier), (S2, 300, 2));
		assert_eq!(a.status, Status::Live(Standing::PendingAcceptance { sender: S1, deadline }));
		assert_eq!(a.documents, docs(5));
		assert_eq!((b.holder, b.amount, b.tier), (S3, 200, 2));
		assert_eq!((rem.holder, rem.amount, rem.tier), (S1, 500, 1));
		assert_eq!(rem.status, Status::Live(Standing::Active));
		assert_eq!(rem.documents, docs(1));
		assert_eq!(Receivables::root(root).unwrap().live, 3);
		let ev = events();
		assert_eq!(ev.len(), 4);
		assert_eq!(ev[0], Event::Split { parent: root, root, holder: S1, children: 3 });
		assert_eq!(
			ev[1],
			Event::ChildCreated {
				id: root + 1,
				parent: root,
				root,
				sender: S1,
				holder: S2,
				amount: 300,
				tier: 2,
				acceptance_deadline: Some(deadline),
				documents: docs(5),
			}
		);
		assert_eq!(
			ev[3],
			Event::ChildCreated {
				id: root + 3,
				parent: root,
				root,
				sender: S1,
				holder: S1,
				amount: 500,
				tier: 1,
				acceptance_deadline: None,
				documents: docs(1),
			}
		);
	});
}

#[test]
fn a_full_split_leaves_no_remainder() {
	run_test(|| {
		let root = active_root(S1, 1_000);
		assert_ok!(Receivables::split_transfer(
			RuntimeOrigin::signed(S1),
			root,
			parts(&[(S2, 600), (S3, 400)]),
			docs(5)
		));
		assert_eq!(crate::NextCertificateId::<Test>::get(), root + 3);
		assert!(Receivables::holdings(&S1).is_empty());
	});
}

#[test]
fn three_tiers_down_the_chain() {
	run_test(|| {
		let o = RuntimeOrigin::signed;
		let root = active_root(S1, 1_000);
		assert_ok!(Receivables::split_transfer(o(S1), root, parts(&[(S2, 600)]), docs(2)));
		let t2 = root + 1;
		assert_ok!(Receivables::accept(o(S2), t2));
		assert_ok!(Receivables::split_transfer(o(S2), t2, parts(&[(S3, 250)]), docs(3)));
		let t3 = t2 + 2;
		assert_ok!(Receivables::accept(o(S3), t3));
		assert_ok!(Receivables::split_transfer(o(S3), t3, parts(&[(S4, 100)]), docs(4)));
		let t4 = t3 + 2;
		assert_ok!(Receivables::accept(o(S4), t4));
		assert_eq!(cert(t4).tier, 4);
		assert_eq!(cert(t4).root, root);
		// MaxTier is 4 in the mock.
		assert_noop!(
			Receivables::split_transfer(o(S4), t4, parts(&[(S5, 50)]), docs(5)),
			Error::<Test>::TierTooDeep
		);
	});
}

#[test]
fn split_refusals() {
	run_test(|| {
		let o = RuntimeOrigin::signed;
		let root = active_root(S1, 1_000);
		let split = |who, id, p: &[(AccountId, Amount)]| {
			Receivables::split_transfer(o(who), id, parts(p), docs(9))
		};
		assert_noop!(split(S1, 999, &[(S2, 100)]), Error::<Test>::UnknownCertificate);
		assert_noop!(split(OUTSIDER, root, &[(S2, 100)]), Error::<Test>::NotParticipant);
		assert_noop!(split(S1, root, &[]), Error::<Test>::NoParts);
		assert_noop!(split(S2, root, &[(S3, 100)]), Error::<Test>::NotHolder);
		assert_noop!(split(S1, root, &[(S1, 100)]), Error::<Test>::SelfTransfer);
		assert_noop!(split(S1, root, &[(S2, 0)]), Error::<Test>::BelowMinimum);
		assert_noop!(split(S1, root, &[(S2, MIN - 1)]), Error::<Test>::BelowMinimum);
		assert_noop!(split(S1, root, &[(S2, 1_000 - MIN + 1)]), Error::<Test>::BelowMinimum);
		assert_noop!(split(S1, root, &[(S2, 600), (S3, 401)]), Error::<Test>::ExceedsAmount);
		assert_noop!(split(S1, root, &[(S2, u128::MAX), (S3, 20)]), Error::<Test>::ExceedsAmount);
		assert_noop!(split(S1, root, &[(S2, 100), (S2, 100)]), Error::<Test>::DuplicateReceiver);
		assert_noop!(split(S1, root, &[(OUTSIDER, 100)]), Error::<Test>::ReceiverNotParticipant);
		assert_noop!(split(S1, root, &[(SUSPENDED, 100)]), Error::<Test>::ReceiverNotParticipant);
		// More receivers than MaxChildren cannot even be encoded in the call;
		// the helper refuses them too.
		assert_noop!(
			Receivables::do_split_transfer(
				S1,
				root,
				&[(S2, 100), (S3, 100), (S4, 100), (S5, 100)],
				docs(9)
			),
			Error::<Test>::TooManyChildren
		);
		// Frozen.
		assert_ok!(Receivables::freeze(o(REG), root, reason(1)));
		assert_noop!(split(S1, root, &[(S2, 100)]), Error::<Test>::Frozen);
		assert_ok!(Receivables::unfreeze(o(REG), root, reason(1)));
		assert_ok!(Receivables::freeze_root(o(REG), root, reason(1)));
		assert_noop!(split(S1, root, &[(S2, 100)]), Error::<Test>::Frozen);
		assert_ok!(Receivables::unfreeze_root(o(REG), root, reason(1)));
		// Pending: the receiver cannot split before accepting.
		assert_ok!(split(S1, root, &[(S2, 500)]));
		assert_noop!(split(S2, root + 1, &[(S3, 100)]), Error::<Test>::Pending);
		// Closed.
		assert_noop!(split(S1, root, &[(S2, 100)]), Error::<Test>::Closed);
		// Financed and pledged.
		let rem = root + 2;
		pledge(S1, rem, FIN);
		assert_noop!(split(S1, rem, &[(S3, 100)]), Error::<Test>::AlreadyFinanced);
		let other = active_root(S3, 300);
		factor(S3, other, FIN);
		assert_noop!(split(FIN, other, &[(S4, 100)]), Error::<Test>::AlreadyFinanced);
		// Reserved for a financing request.
		let third = active_root(S4, 300);
		assert_ok!(<Receivables as ReceivableLedger<_>>::reserve(&S4, third, &FIN));
		assert_noop!(split(S4, third, &[(S5, 100)]), Error::<Test>::Reserved);
	});
}

#[test]
fn no_split_at_or_after_maturity_or_when_overdue() {
	run_test(|| {
		let o = RuntimeOrigin::signed;
		let root = active_root(S1, 1_000);
		let due = cert(root).due;
		set_now(due - 1);
		assert_ok!(Receivables::split_transfer(o(S1), root, parts(&[(S2, 100)]), docs(2)));
		let rem = root + 2;
		set_now(due);
		assert_noop!(
			Receivables::split_transfer(o(S1), rem, parts(&[(S2, 100)]), docs(2)),
			Error::<Test>::Matured
		);
		advance_to(due + GRACE + GRANULARITY, GRANULARITY * 30);
		assert!(matches!(status(rem), Status::Live(Standing::Overdue { encumbrance: None })));
		assert_noop!(
			Receivables::split_transfer(o(S1), rem, parts(&[(S2, 100)]), docs(2)),
			Error::<Test>::Overdue
		);
	});
}

#[test]
fn live_certificates_per_root_are_bounded() {
	run_test(|| {
		let o = RuntimeOrigin::signed;
		let root = active_root(S1, 1_000);
		// Each split of the remainder adds two live certificates net... one
		// receiver + remainder replaces one: +1 live per split.
		let mut rem = root;
		for i in 0..(MAX_LIVE - 1) {
			let receiver = [S2, S3, S4, S5][i as usize % 4];
			assert_ok!(Receivables::split_transfer(o(S1), rem, parts(&[(receiver, 20)]), docs(2)));
			rem = crate::NextCertificateId::<Test>::get() - 1;
		}
		assert_eq!(Receivables::root(root).unwrap().live, MAX_LIVE);
		assert_noop!(
			Receivables::split_transfer(o(S1), rem, parts(&[(S2, 20)]), docs(2)),
			Error::<Test>::TooManyLive
		);
		// Sending everything keeps the count.
		assert_ok!(Receivables::split_transfer(
			o(S1),
			rem,
			parts(&[(S2, cert(rem).amount)]),
			docs(2)
		));
	});
}
