use super::*;

#[test]
fn certificate_lineage_holdings_and_root() {
	run_test(|| {
		let o = RuntimeOrigin::signed;
		assert_eq!(Receivables::certificate(1), None);
		assert!(Receivables::lineage(1).is_empty());
		assert_eq!(Receivables::root(1), None);
		let root = active_root(S1, 1_000);
		let other = active_root(S2, 50);
		assert_ok!(Receivables::split_transfer(o(S1), root, parts(&[(S2, 600)]), docs(2)));
		let t2 = other + 1;
		assert_ok!(Receivables::accept(o(S2), t2));
		assert_ok!(Receivables::split_transfer(o(S2), t2, parts(&[(S3, 100)]), docs(3)));
		let ids: Vec<_> = Receivables::lineage(root).into_iter().map(|c| c.id).collect();
		assert_eq!(ids, vec![root, t2, t2 + 1, t2 + 2, t2 + 3]);
		// Every certificate's parent comes before it.
		let tree = Receivables::lineage(root);
		for c in &tree {
			if let Some(p) = c.parent {
				assert!(
					tree.iter().position(|x| x.id == p) < tree.iter().position(|x| x.id == c.id)
				);
			}
		}
		assert_eq!(Receivables::certificate(t2 + 2).unwrap().holder, S3);
		let held = |who| Receivables::holdings(&who).into_iter().map(|c| c.id).collect::<Vec<_>>();
		assert_eq!(held(S1), vec![t2 + 1]);
		assert_eq!(held(S2), vec![other, t2 + 3]);
		assert_eq!(held(S3), vec![t2 + 2]);
		assert_eq!(held(S4), Vec::<CertificateId>::new());
		assert_eq!(Receivables::root(root).unwrap().live, 3);
		assert_eq!(Receivables::lineage(other).len(), 1);
		assert!(Receivables::lineage(t2).is_empty());
	});
}
