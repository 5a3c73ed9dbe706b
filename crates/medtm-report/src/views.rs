//! The architecture views of the premarket guidance: global system, multi-patient harm,
//! updatability and patchability, and security use cases; each as a diagram and a table.
