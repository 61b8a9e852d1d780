//! Concurrent token requests: 8 threads x 200 exchanges, bounded in count and time.

mod common;

use std::thread;
use std::time::{Duration, Instant};

use common::{agent, exchange, standard_code};
use fake_stripe::FakeStripe;

const THREADS: usize = 8;
const REQUESTS_PER_THREAD: usize = 200;
const TIME_LIMIT: Duration = Duration::from_secs(60);

#[test]
fn concurrent_exchanges_all_succeed() {
    let fake = FakeStripe::start().unwrap();
    let key = fake.platform().test_secret_key;
    let started = Instant::now();

    let accounts: Vec<String> = thread::scope(|scope| {
        let workers: Vec<_> = (0..THREADS)
            .map(|_| {
                let (fake, key) = (&fake, &key);
                scope.spawn(move || {
                    let agent = agent();
                    let mut accounts = Vec::with_capacity(REQUESTS_PER_THREAD);
                    for _ in 0..REQUESTS_PER_THREAD {
                        if started.elapsed() > TIME_LIMIT {
                            break;
                        }
                        let code = standard_code(fake);
                        let reply = exchange(&agent, fake, key, &code);
                        assert_eq!(reply.status, 200);
                        let account = reply.json()["stripe_user_id"].as_str().unwrap().to_owned();
                        accounts.push(account);
                    }
                    accounts
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().expect("no worker panicked"))
            .collect()
    });

    assert!(
        started.elapsed() <= TIME_LIMIT,
        "the load took longer than {TIME_LIMIT:?}"
    );
    assert_eq!(accounts.len(), THREADS * REQUESTS_PER_THREAD);
    let mut unique = accounts.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        accounts.len(),
        "every exchange got its own account"
    );
    let records = fake.requests_to("/oauth/token");
    assert_eq!(records.len(), THREADS * REQUESTS_PER_THREAD);
    assert!(records.iter().all(|recorded| recorded.status == Some(200)));
}
