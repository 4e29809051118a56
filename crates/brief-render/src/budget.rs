//! A memory budget for rendering a template: the allocator that keeps it and
//! the thread a render runs on.
//!
//! Fuel bounds a template's steps and the markup writer bounds what it
//! writes, but neither sees a value grow: `{% set ns.s = ns.s ~ ns.s %}`
//! doubles a string at every step, and block captures (`{% set x %}…`) and
//! filters build values the output never sees. minijinja calls no hook on
//! `~`, so the bound has to be on memory itself.
//!
//! [`Budgeted`] is a global allocator over another one (the system's, or the
//! binary's choice). The binary
//! installs it; the library owns everything else. On the render thread it
//! counts the bytes held, and an allocation of at least [`MIN_REFUSED`]
//! bytes that would take them past the budget is never made: the thread
//! stops right there, before the memory is touched, and waits for good,
//! while the caller gets an error. Nothing unwinds out of the allocator and
//! no allocation fails, so no process abort either. The cost is one parked
//! thread holding at most the budget until the process exits; the template
//! remembers it and refuses every later render at once.
//!
//! Smaller allocations always go through: they may come from code holding a
//! lock (a lazily built table, minijinja's template cache) that must not be
//! parked, and a value that keeps growing always comes to ask for a large
//! block. Without the allocator installed (a program using the library with
//! its own allocator), renders run on the caller's thread, unbounded.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::{Cell, RefCell};
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, SendError, Sender};
use std::sync::{Arc, Condvar, Mutex};

/// Allocations smaller than this are never refused (see the module docs).
pub const MIN_REFUSED: usize = 1 << 20;

/// The global allocator that keeps render budgets, over the allocator `A`
/// that does the work; install it in the binary:
/// `#[global_allocator] static A: Budgeted<System> = Budgeted(System);`
pub struct Budgeted<A = System>(pub A);

/// Set once the allocator is in use, so renders know a budget can be kept.
static INSTALLED: AtomicBool = AtomicBool::new(false);

thread_local! {
    // Const-initialised cells without destructors: reading them never
    // allocates and works until the thread is gone.
    static LIMIT: Cell<usize> = const { Cell::new(usize::MAX) };
    static HELD: Cell<usize> = const { Cell::new(0) };
    static SIGNAL: Cell<*const Signal> = const { Cell::new(std::ptr::null()) };
}

/// Whether `size` more bytes may be taken on this thread; counts them if so.
fn admit(size: usize) -> bool {
    let limit = LIMIT.try_with(Cell::get).unwrap_or(usize::MAX);
    if limit == usize::MAX {
        return true;
    }
    let held = HELD.try_with(Cell::get).unwrap_or(0);
    if held.saturating_add(size) > limit && size >= MIN_REFUSED {
        return false;
    }
    let _ = HELD.try_with(|h| h.set(held.saturating_add(size)));
    true
}

fn release(size: usize) {
    if LIMIT.try_with(Cell::get).unwrap_or(usize::MAX) != usize::MAX {
        let _ = HELD.try_with(|h| h.set(h.get().saturating_sub(size)));
    }
}

/// Stops the render thread for good, after telling the caller why.
fn stop() -> ! {
    let signal = SIGNAL.try_with(Cell::get).unwrap_or(std::ptr::null());
    // SAFETY: the pointer is set by `run` on this thread from an `Arc` the
    // thread's own closure keeps alive, and this thread never returns from here.
    let Some(signal) = (unsafe { signal.as_ref() }) else {
        // No caller to tell: cannot happen, as only `run` sets a limit.
        std::process::abort()
    };
    let mut phase = signal.phase.lock().unwrap_or_else(|e| e.into_inner());
    *phase = Phase::Exceeded;
    signal.changed.notify_all();
    loop {
        phase = signal.changed.wait(phase).unwrap_or_else(|e| e.into_inner());
    }
}

// SAFETY: every call is passed on unchanged to the inner allocator; the
// bookkeeping touches only this thread's cells and never allocates.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Budgeted<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if !INSTALLED.load(Ordering::Relaxed) {
            INSTALLED.store(true, Ordering::Relaxed);
        }
        if !admit(layout.size()) {
            stop();
        }
        // SAFETY: the caller's contract is the inner allocator's.
        unsafe { self.0.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if !admit(layout.size()) {
            stop();
        }
        // SAFETY: as above.
        unsafe { self.0.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        release(layout.size());
        // SAFETY: as above.
        unsafe { self.0.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        match new_size.checked_sub(layout.size()) {
            Some(more) if !admit(more) => stop(),
            Some(_) => {}
            None => release(layout.size() - new_size),
        }
        // SAFETY: as above.
        unsafe { self.0.realloc(ptr, layout, new_size) }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Running,
    Done,
    Exceeded,
}

struct Signal {
    phase: Mutex<Phase>,
    changed: Condvar,
}

/// Why the work gave no answer.
#[derive(Debug)]
pub enum Stopped {
    /// It took more memory than its budget and was stopped.
    Exceeded,
    /// No thread could be started for it.
    NoThread(std::io::Error),
}

/// Whether the budget allocator is installed in this program.
pub fn installed() -> bool {
    // Anything allocated before this call went through the allocator.
    drop(Box::new(0u8));
    INSTALLED.load(Ordering::Relaxed)
}

/// A job for a render thread.
type Job = Box<dyn FnOnce() + Send>;

thread_local! {
    /// This thread's render thread, kept for its next render: starting a
    /// thread for every brief cost more than many a render (a fresh thread
    /// also faults in fresh allocator pages). Dropped, and so detached, once
    /// a render on it is stopped; a new one starts for the next.
    static WORKER: RefCell<Option<Sender<Job>>> = const { RefCell::new(None) };
}

/// Hands `job` to this thread's render thread, starting one if needed.
fn dispatch(job: Job) -> Result<(), Stopped> {
    WORKER.with(|worker| {
        let mut worker = worker.borrow_mut();
        let job = match worker.as_ref() {
            Some(w) => match w.send(job) {
                Ok(()) => return Ok(()),
                // Its thread is gone: start another below.
                Err(SendError(job)) => job,
            },
            None => job,
        };
        let (jobs, inbox) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("template".into())
            .spawn(move || {
                while let Ok(job) = inbox.recv() {
                    job();
                }
            })
            .map_err(Stopped::NoThread)?;
        jobs.send(job)
            .map_err(|_| Stopped::NoThread(std::io::Error::other("render thread gone")))?;
        *worker = Some(jobs);
        Ok(())
    })
}

/// Runs `work` on a render thread of its own that may hold at most `budget`
/// bytes; `Err(Stopped::Exceeded)` if it asked for more. Without [`Budgeted`]
/// installed the budget cannot be kept, and `work` runs here.
pub fn run<T: Send + 'static>(
    budget: usize,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Stopped> {
    if !installed() {
        return Ok(work());
    }
    let signal = Arc::new(Signal { phase: Mutex::new(Phase::Running), changed: Condvar::new() });
    let theirs = Arc::clone(&signal);
    let (answer, answered) = mpsc::sync_channel::<std::thread::Result<T>>(1);
    dispatch(Box::new(move || {
        /// Says "done" even if the work panics, so the caller never waits forever.
        struct Finish<'a>(&'a Signal);
        impl Drop for Finish<'_> {
            fn drop(&mut self) {
                let _ = LIMIT.try_with(|l| l.set(usize::MAX));
                let mut phase = self.0.phase.lock().unwrap_or_else(|e| e.into_inner());
                *phase = Phase::Done;
                self.0.changed.notify_all();
            }
        }
        let _finish = Finish(&theirs);
        SIGNAL.with(|s| s.set(Arc::as_ptr(&theirs)));
        HELD.with(|h| h.set(0));
        LIMIT.with(|l| l.set(budget));
        // A panic is the caller's, as a thread's join would hand it over;
        // the render thread lives on for the next render.
        let _ = answer.send(std::panic::catch_unwind(AssertUnwindSafe(work)));
    }))?;
    let mut phase = signal.phase.lock().unwrap_or_else(|e| e.into_inner());
    while *phase == Phase::Running {
        phase = signal.changed.wait(phase).unwrap_or_else(|e| e.into_inner());
    }
    if *phase == Phase::Exceeded {
        // The thread waits for good; forgetting it detaches it.
        WORKER.with(|w| w.borrow_mut().take());
        return Err(Stopped::Exceeded);
    }
    drop(phase);
    match answered.recv() {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(_) => Err(Stopped::NoThread(std::io::Error::other("the render thread gave no answer"))),
    }
}

/// The unit tests run under the allocator, as the binary does.
#[cfg(test)]
#[global_allocator]
static TESTED: Budgeted = Budgeted(System);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_within_its_budget_returns_its_value() {
        let value = run(64 << 20, || vec![7u8; 8 << 20].len()).expect("within budget");
        assert_eq!(value, 8 << 20);
    }

    #[test]
    fn a_doubling_value_is_stopped_at_the_budget() {
        let result = run(64 << 20, || {
            let mut s = String::from("x");
            for _ in 0..40 {
                s = format!("{s}{s}");
            }
            s.len()
        });
        assert!(matches!(result, Err(Stopped::Exceeded)), "{result:?}");
        // The caller's thread has no budget of its own.
        assert_eq!(vec![0u8; 100 << 20].len(), 100 << 20);
        // The next render gets a thread of its own, with the whole budget.
        let value = run(64 << 20, || vec![1u8; 32 << 20].len()).expect("a fresh thread");
        assert_eq!(value, 32 << 20);
    }

    #[test]
    fn renders_of_one_thread_share_a_render_thread_and_its_budget_is_fresh() {
        let first = run(64 << 20, || std::thread::current().id()).expect("runs");
        // Memory a render leaves allocated counts against no later render.
        let kept = run(64 << 20, || vec![0u8; 48 << 20]).expect("within budget");
        let again = run(64 << 20, || (std::thread::current().id(), vec![0u8; 48 << 20].len()));
        let (second, len) = again.expect("its own budget");
        assert_eq!((first, len), (second, 48 << 20));
        assert_ne!(first, std::thread::current().id());
        drop(kept);
    }

    #[test]
    fn a_panic_is_the_callers_and_the_next_render_runs() {
        let caught = std::panic::catch_unwind(|| run(64 << 20, || panic!("in the template")));
        let message = caught.expect_err("the panic reaches the caller");
        assert_eq!(message.downcast_ref::<&str>(), Some(&"in the template"));
        assert_eq!(run(64 << 20, || 7).expect("runs"), 7);
    }
}
