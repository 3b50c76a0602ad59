//! A bounded load test of `gongwen serve` on loopback: N clients, each on one keep-alive
//! connection, request the paths of a file in turn (client c takes paths c, c+N, c+2N …, so that
//! as many requests as paths ask for each path once) until a request count or a time limit is
//! reached; then the latency percentiles and the errors.
//!
//! ```sh
//! gongwen --archive A serve --addr 127.0.0.1:7979 &
//! cargo run --release --example load -- 127.0.0.1:7979 paths.txt 32 [REQUESTS] [SECONDS]
//! ```
//! Only loopback addresses are accepted. REQUESTS (default 2000) and SECONDS (default 60) bound
//! the whole run.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// One answer read off a keep-alive connection: its status.
fn answer(reader: &mut BufReader<TcpStream>) -> std::io::Result<u16> {
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let status = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
    let mut length = None;
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse::<usize>().ok();
        }
    }
    let length = length
        .ok_or_else(|| std::io::Error::other("no content-length (chunked answers unread)"))?;
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok(status)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: load ADDR PATHS_FILE CLIENTS [REQUESTS] [SECONDS]");
        std::process::exit(2);
    }
    let addr: SocketAddr = args[1].parse().expect("ADDR is ip:port");
    assert!(
        addr.ip().is_loopback(),
        "load tests run against loopback only"
    );
    let paths: Arc<Vec<String>> = Arc::new(
        std::fs::read_to_string(&args[2])
            .expect("PATHS_FILE is readable")
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect(),
    );
    assert!(!paths.is_empty(), "no paths");
    let clients: usize = args[3].parse().expect("CLIENTS is a number");
    let requests: usize = args.get(4).map_or(2000, |s| s.parse().expect("REQUESTS"));
    let seconds: u64 = args.get(5).map_or(60, |s| s.parse().expect("SECONDS"));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let issued = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|c| {
            let (paths, issued) = (Arc::clone(&paths), Arc::clone(&issued));
            std::thread::spawn(move || {
                let mut latencies = Vec::new();
                let mut errors = Vec::new();
                let connect = || {
                    let s = TcpStream::connect(addr)?;
                    s.set_read_timeout(Some(Duration::from_secs(30)))?;
                    s.set_nodelay(true)?;
                    Ok::<_, std::io::Error>((s.try_clone()?, BufReader::new(s)))
                };
                let mut conn = connect().ok();
                let mut k = c;
                while Instant::now() < deadline && issued.fetch_add(1, Ordering::Relaxed) < requests
                {
                    let path = &paths[k % paths.len()];
                    k += clients;
                    let t = Instant::now();
                    let result = (|| {
                        let (w, r) = match conn.as_mut() {
                            Some(c) => c,
                            None => conn.insert(connect()?),
                        };
                        write!(w, "GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n")?;
                        answer(r)
                    })();
                    match result {
                        Ok(200) => latencies.push(t.elapsed()),
                        Ok(s) => errors.push(format!("{s} {path}")),
                        Err(e) => {
                            errors.push(format!("{e} {path}"));
                            conn = None;
                        }
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut errors = Vec::new();
    for h in handles {
        let (l, e) = h.join().expect("a client thread");
        latencies.extend(l);
        errors.extend(e);
    }
    let wall = started.elapsed();
    latencies.sort();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p).ceil() as usize).saturating_sub(1))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "clients {clients}: {} ok, {} errors in {:.1} s ({:.0} req/s); p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        latencies.len(),
        errors.len(),
        wall.as_secs_f64(),
        latencies.len() as f64 / wall.as_secs_f64(),
        pct(0.50),
        pct(0.90),
        pct(0.99),
        pct(1.0),
    );
    for e in errors.iter().take(5) {
        println!("  error: {e}");
    }
}
