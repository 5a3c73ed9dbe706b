//! Benchmarks of each stage on generated hospital models and the examples:
//! `cargo bench -p medtm-tests`. Sizes are elements (actors, components, stores); flows number
//! about 2.3 per element. `MEDTM_BENCH_SIZES=100,1000` picks the sizes (the default includes
//! 100,000 elements, which takes several minutes).

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use medtm_model::CheckOptions;
use medtm_report::Inputs;

fn options() -> CheckOptions {
    CheckOptions { today: Some(jiff::civil::date(2026, 11, 28)) }
}

fn sizes() -> Vec<usize> {
    std::env::var("MEDTM_BENCH_SIZES").ok().map_or_else(
        || vec![100, 1_000, 10_000, 100_000],
        |sizes| sizes.split(',').filter_map(|size| size.trim().parse().ok()).collect(),
    )
}

/// Every stage of one model: parse, check, analyse, and building plus rendering each report.
fn bench_model(c: &mut Criterion, group_name: &str, name: &str, text: &str) {
    let mut group = c.benchmark_group(group_name);
    group.sample_size(10);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_with_input(BenchmarkId::new("parse", name), text, |b, text| {
        b.iter(|| medtm_syntax::parse(black_box(text)));
    });
    group.bench_with_input(BenchmarkId::new("check", name), text, |b, text| {
        b.iter(|| medtm_engine::check_text(black_box(text), options()));
    });
    group.bench_with_input(BenchmarkId::new("analyse", name), text, |b, text| {
        b.iter(|| medtm_engine::analyse_text(black_box(text), options()));
    });
    let checked = medtm_engine::analyse_text(text, options());
    let analysis = checked.analysis.as_ref().expect("benchmark models have no errors");
    let model = &checked.model;
    type Render = fn(&Inputs<'_>, &mut Vec<u8>);
    let renderers: [(&str, Render); 7] = [
        ("report_text", |inputs, out| drop(medtm_report::text::write(inputs.report, false, out))),
        ("report_json", |inputs, out| drop(medtm_report::write_json(inputs.report, out))),
        ("report_markdown", |inputs, out| drop(medtm_report::markdown::write(inputs.report, out))),
        ("report_sarif", |inputs, out| drop(medtm_report::sarif::write(inputs, out))),
        ("report_otm", |inputs, out| drop(medtm_report::otm::write(inputs, out))),
        ("report_csv", |inputs, out| drop(medtm_report::csv::write(inputs.report, out))),
        ("report_html", |inputs, out| {
            drop(medtm_report::html::write(inputs, &medtm_report::html::Diagrams::default(), out));
        }),
    ];
    for (stage, render) in renderers {
        group.bench_with_input(BenchmarkId::new(stage, name), text, |b, text| {
            b.iter(|| {
                let report = medtm_report::dto::build("h.mtm", text, model, analysis);
                let inputs = Inputs { text, model, analysis, report: &report };
                let mut out = Vec::new();
                render(&inputs, &mut out);
                out
            });
        });
    }
    group.finish();
}

fn generated(c: &mut Criterion) {
    for elements in sizes() {
        bench_model(c, "generated", &elements.to_string(), &medtm_gen::hospital(elements, 1));
    }
}

fn examples(c: &mut Criterion) {
    for path in medtm_tests::models_in(&medtm_tests::root().join("models")) {
        let text = std::fs::read_to_string(&path).expect("example model readable");
        let name = path.file_stem().and_then(|stem| stem.to_str()).unwrap_or("model").to_owned();
        bench_model(c, "examples", &name, &text);
    }
}

criterion_group!(benches, examples, generated);
criterion_main!(benches);
