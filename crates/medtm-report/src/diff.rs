//! Risk diff between two analyses of a model: added, resolved and changed, matched by stable id.
