//! `cybercenter`: serve the portal (default) or print help.

use server::{build, serve, Config};
use tracing_subscriber::EnvFilter;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None | Some("serve") => {}
        Some("eval-faq") => return finish("eval-faq", server::cli::eval_faq::run(&args[1..])),
        Some("eval-mining") => return finish("eval-mining", server::cli::eval_mining::run(&args[1..])),
        Some("staffing") => return finish("staffing", server::cli::staffing::run(&args[1..])),
        Some("bench-staffing") => {
            server::cli::bench_staffing::run();
            return std::process::ExitCode::SUCCESS;
        }
        Some("bench-faq") => return finish("bench-faq", server::cli::bench_faq::run(&args[1..])),
        Some("bench-chat") => return finish("bench-chat", server::cli::bench_chat::run(&args[1..]).await),
        Some("bench-chaos") => return finish("bench-chaos", server::cli::bench_chaos::run(&args[1..]).await),
        Some("bench-hostile") => return finish("bench-hostile", server::cli::bench_hostile::run(&args[1..]).await),
        Some("bench-mail") => return finish("bench-mail", server::cli::bench_mail::run(&args[1..]).await),
        Some("bench-pages") => return finish("bench-pages", server::cli::bench_pages::run(&args[1..]).await),
        Some("bench-queue") => return finish("bench-queue", server::cli::bench_queue::run(&args[1..]).await),
        Some("bench-semantic") => return finish("bench-semantic", server::cli::bench_semantic::run(&args[1..]).await),
        Some("bench-reports") => return finish("bench-reports", server::cli::bench_reports::run(&args[1..]).await),
        Some("--help" | "-h" | "help") => {
            print!("{}", server::config::HELP);
            return std::process::ExitCode::SUCCESS;
        }
        Some(other) => {
            eprintln!("cybercenter: unknown command {other:?}\n\n{}", server::config::HELP);
            return std::process::ExitCode::from(2);
        }
    }
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("cybercenter: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let built = match build(&config).await {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cybercenter: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    if built.demo_loaded {
        tracing::info!("demo data loaded into an empty database");
    }
    let url = format!("http://{}", config.site_addr);
    println!("cybercenter is serving {url}  (database: {})", config.database_url);
    if config.demo_data {
        println!("demo logins (password: {}):", app::demo::DEMO_PASSWORD);
        println!("  admin     admin@example.com");
        println!("  agents    agent1@example.com … agent4@example.com");
        println!("  customers customer1@example.com … customer20@example.com");
    }
    match &config.smtp_url {
        None => println!("mail is written to {}/ as .eml files (account notices, answers to inquiries)", config.outbox_dir.display()),
        Some(_) => println!("mail goes to the SMTP server in CYBERCENTER_SMTP_URL"),
    }
    match serve(built.router, config.site_addr, built.connections, shutdown_signal()).await {
        Ok(()) => {
            tracing::info!("shut down cleanly");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cybercenter: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// A subcommand's outcome as the exit code: 0, or 2 with its error on stderr.
fn finish(command: &str, result: Result<(), String>) -> std::process::ExitCode {
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cybercenter {command}: {e}");
            std::process::ExitCode::from(2)
        }
    }
}

/// Ctrl-C or SIGTERM: stop accepting, let in-flight requests finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutdown signal received; finishing in-flight requests");
}
