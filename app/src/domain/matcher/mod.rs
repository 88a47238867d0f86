//! The FAQ matcher: pure, no I/O, compiled for server and browser. Each FAQ template is a class;
//! its question and phrasings are training examples. Text becomes a hashed sparse vector of word
//! 1–2-grams and character 2–5-grams inside word boundaries (what makes Korean work without a
//! dictionary), weighted by sublinear TF-IDF and L2-normalised; a multinomial logistic regression
//! trained by SGD scores the classes, and a calibration fitted on held-out examples turns the
//! margin of the best class into the confidence. The browser gets the same classifier with its
//! weights pruned and quantised (`compact`), in the binary format of `codec`.

pub mod blend;
pub mod bm25;
pub mod calibration;
pub mod classifier;
pub mod codec;
pub mod compact;
pub mod dense;
pub mod features;
pub mod model;
pub mod tsv;

pub use calibration::Calibration;
pub use classifier::Classifier;
pub use features::{normalize, Vectorizer};
pub use compact::CompactModel;
pub use model::{Match, Model, Scorer, TrainOptions};
