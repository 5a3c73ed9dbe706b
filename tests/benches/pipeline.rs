//! Benchmarks of each stage on generated hospital models and the examples:
//! `cargo bench -p medtm-tests`. Sizes are elements (actors, components, stores); flows number
//! about 1.6 per element.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use medtm_model::CheckOptions;

fn options() -> CheckOptions {
    CheckOptions { today: Some(jiff::civil::date(2026, 11, 28)) }
}

fn stages(c: &mut Criterion) {
    let mut group = c.benchmark_group("pipeline");
    group.sample_size(10);
    for elements in [100, 1_000, 10_000] {
        let text = medtm_gen::hospital(elements, 1);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::new("parse", elements), &text, |b, text| {
            b.iter(|| medtm_syntax::parse(black_box(text)));
        });
        group.bench_with_input(BenchmarkId::new("check", elements), &text, |b, text| {
            b.iter(|| medtm_engine::check_text(black_box(text), options()));
        });
        group.bench_with_input(BenchmarkId::new("analyse", elements), &text, |b, text| {
            b.iter(|| medtm_engine::analyse_text(black_box(text), options()));
        });
        let checked = medtm_engine::analyse_text(&text, options());
        let analysis = checked.analysis.as_ref().expect("generated models have no errors");
        group.bench_with_input(BenchmarkId::new("report_json", elements), &text, |b, text| {
            b.iter(|| medtm_report::json(&medtm_report::dto::build("h.mtm", text, &checked.model, analysis)));
        });
        group.bench_with_input(BenchmarkId::new("report_text", elements), &text, |b, text| {
            b.iter(|| {
                medtm_report::text::render(&medtm_report::dto::build("h.mtm", text, &checked.model, analysis), false)
            });
        });
    }
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
