//! Charts drawn as SVG by the server (no chart library, no script): a bar chart with axes and a
//! weekday × hour heatmap. Every bar and cell carries its value as a tooltip, and every chart
//! has its figures as a table beside it (for screen readers, and for anyone who wants numbers).

use leptos::prelude::*;

/// Nice upper bound for an axis: 1, 2 or 5 times a power of ten, at least `max`.
pub fn nice_max(max: i64) -> i64 {
    if max <= 0 {
        return 1;
    }
    let mut step = 1i64;
    loop {
        for m in [1, 2, 5] {
            if step.saturating_mul(m) >= max {
                return step.saturating_mul(m);
            }
        }
        step = step.saturating_mul(10);
    }
}

const W: f64 = 640.0;
const H: f64 = 220.0;
const LEFT: f64 = 44.0;
const BOTTOM: f64 = 28.0;
const TOP: f64 = 10.0;
const PLOT_W: f64 = W - LEFT - 8.0;
const PLOT_H: f64 = H - TOP - BOTTOM;

/// Where the bars of a bar chart go: one slot per label across the plot, a bar 70% of its slot,
/// and a label under every `every`-th bar so that labels `label_px` wide do not overlap.
struct Slots {
    slot: f64,
    bar_w: f64,
    every: usize,
}

impl Slots {
    fn new(labels: usize, label_px: f64) -> Slots {
        let n = labels.max(1) as f64;
        let slot = PLOT_W / n;
        Slots { slot, bar_w: (slot * 0.7).max(1.0), every: ((n * label_px / PLOT_W).ceil() as usize).max(1) }
    }

    /// The left edge of bar `i`.
    fn x(&self, i: usize) -> f64 {
        LEFT + self.slot * i as f64 + (self.slot - self.bar_w) / 2.0
    }

    /// The label under bar `i`, if it is one that is labelled.
    fn label(&self, i: usize, text: &str) -> Option<impl IntoView + use<>> {
        let x = self.x(i) + self.bar_w / 2.0;
        let text = text.to_string();
        (i % self.every == 0).then(|| view! { <text x=x y=H - 10.0 class="tick" text-anchor="middle">{text}</text> })
    }
}

/// The y axis of the bar charts: five round ticks from 0 to `top` with grid lines, and the x
/// axis line.
fn y_axis(top: i64) -> impl IntoView {
    let ticks: Vec<i64> = (0..=4).map(|i| top * i / 4).collect();
    view! {
        {ticks.into_iter().map(|t| {
            let y = TOP + PLOT_H - PLOT_H * t as f64 / top as f64;
            view! {
                <line x1=LEFT y1=y x2=W - 8.0 y2=y class="grid" />
                <text x=LEFT - 6.0 y=y + 4.0 class="tick" text-anchor="end">{crate::i18n::texts::group_thousands(t)}</text>
            }
        }).collect_view()}
        <line x1=LEFT y1=TOP + PLOT_H x2=W - 8.0 y2=TOP + PLOT_H class="axis" />
    }
}

/// Vertical bars, one per label, with a y axis of four ticks.
#[component]
pub fn BarChart(id: String, title: String, labels: Vec<String>, values: Vec<i64>, value_label: String) -> impl IntoView {
    let top = nice_max(values.iter().copied().max().unwrap_or(0));
    // short labels (hours, weekdays): 28 px each
    let slots = Slots::new(labels.len(), 28.0);
    let bar_w = slots.bar_w;
    let title_id = format!("{id}-title");
    view! {
        <figure class="chart" id=id.clone()>
            <figcaption id=title_id.clone()>{title.clone()}</figcaption>
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-labelledby=title_id class="bar-chart">
                {y_axis(top)}
                {labels.iter().zip(&values).enumerate().map(|(i, (label, &v))| {
                    let h = PLOT_H * v as f64 / top as f64;
                    let x = slots.x(i);
                    let tip = format!("{label}: {} {value_label}", crate::i18n::texts::group_thousands(v));
                    view! {
                        <rect x=x y=TOP + PLOT_H - h width=bar_w height=h class="bar"><title>{tip}</title></rect>
                        {slots.label(i, label)}
                    }
                }).collect_view()}
            </svg>
            <details class="chart-table">
                <summary>{title.clone()}</summary>
                <table>
                    <tbody>
                        {labels.iter().zip(&values).map(|(l, v)| view! {
                            <tr><th scope="row">{l.clone()}</th><td class="num">{crate::i18n::texts::group_thousands(*v)}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        </figure>
    }
}

/// One bar per label made of a segment per series (stacked), or a bar per series side by side
/// (`grouped`); at most six series, each its own colour class, with a legend; the table beside
/// it has a column per series.
#[allow(clippy::too_many_arguments)]
#[component]
pub fn StackedBarChart(
    id: String,
    title: String,
    labels: Vec<String>,
    series: Vec<String>,
    values: Vec<Vec<i64>>,
    value_label: String,
    label_heading: String,
    #[prop(optional)] grouped: bool,
) -> impl IntoView {
    let heights: Vec<i64> = match grouped {
        true => values.iter().map(|v| v.iter().copied().max().unwrap_or(0)).collect(),
        false => values.iter().map(|v| v.iter().map(|x| (*x).max(0)).sum()).collect(),
    };
    let top = nice_max(heights.iter().copied().max().unwrap_or(0));
    let k_series = series.len().max(1) as f64;
    // labels as wide as the longest (dates): 9 px a character and a gap
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(1) as f64;
    let slots = Slots::new(labels.len(), longest * 9.0 + 8.0);
    let bar_w = slots.bar_w;
    let title_id = format!("{id}-title");
    view! {
        <figure class="chart" id=id.clone()>
            <figcaption id=title_id.clone()>{title.clone()}</figcaption>
            <ul class="legend">
                {series.iter().enumerate().map(|(k, name)| view! { <li><span class=format!("swatch series-{}", k % 6)></span>{name.clone()}</li> }).collect_view()}
            </ul>
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-labelledby=title_id class="bar-chart">
                {y_axis(top)}
                {labels.iter().zip(&values).enumerate().map(|(i, (label, row))| {
                    let x = slots.x(i);
                    let mut base = TOP + PLOT_H;
                    let segments = row.iter().enumerate().filter(|(_, v)| **v > 0).map(|(k, &v)| {
                        let h = PLOT_H * v as f64 / top as f64;
                        let (bx, by, bw) = match grouped {
                            true => (x + bar_w / k_series * k as f64, TOP + PLOT_H - h, bar_w / k_series),
                            false => {
                                base -= h;
                                (x, base, bar_w)
                            }
                        };
                        let tip = format!("{label} · {}: {} {value_label}", series.get(k).cloned().unwrap_or_default(), crate::i18n::texts::group_thousands(v));
                        view! { <rect x=bx y=by width=bw height=h class=format!("bar series-{}", k % 6)><title>{tip}</title></rect> }
                    }).collect_view();
                    view! {
                        {segments}
                        {slots.label(i, label)}
                    }
                }).collect_view()}
            </svg>
            <details class="chart-table">
                <summary>{title.clone()}</summary>
                <div class="table-wrap">
                    <table>
                        <thead><tr>
                            <th scope="col">{label_heading}</th>
                            {series.iter().map(|s| view! { <th scope="col" class="num">{s.clone()}</th> }).collect_view()}
                        </tr></thead>
                        <tbody>
                            {labels.iter().zip(&values).map(|(l, row)| view! {
                                <tr>
                                    <th scope="row">{l.clone()}</th>
                                    {row.iter().map(|v| view! { <td class="num">{crate::i18n::texts::group_thousands(*v)}</td> }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </figure>
    }
}

/// Weekday × hour: darker is busier, and every cell says its number.
#[component]
pub fn Heatmap(id: String, title: String, days: Vec<String>, cells: Vec<Vec<i64>>, value_label: String) -> impl IntoView {
    let max = cells.iter().flatten().copied().max().unwrap_or(0).max(1);
    let (cw, ch, left, top) = (24.0, 22.0, 44.0, 18.0);
    let width = left + 24.0 * cw + 4.0;
    let height = top + 7.0 * ch + 4.0;
    let title_id = format!("{id}-title");
    view! {
        <figure class="chart heatmap" id=id.clone()>
            <figcaption id=title_id.clone()>{title.clone()}</figcaption>
            <svg viewBox=format!("0 0 {width} {height}") role="img" aria-labelledby=title_id>
                {(0..24).filter(|h| h % 3 == 0).map(|h| view! {
                    <text x=left + cw * h as f64 + cw / 2.0 y=12.0 class="tick" text-anchor="middle">{h}</text>
                }).collect_view()}
                {cells.iter().enumerate().map(|(d, row)| {
                    let day = days.get(d).cloned().unwrap_or_default();
                    view! {
                        <text x=left - 6.0 y=top + ch * d as f64 + ch / 2.0 + 4.0 class="tick" text-anchor="end">{day.clone()}</text>
                        {row.iter().enumerate().map(|(h, &v)| {
                            // five steps of blue; 0 stays white
                            let level = if v == 0 { 0 } else { 1 + (4 * v / max).min(4) };
                            let tip = format!("{day} {h:02}:00 — {} {value_label}", crate::i18n::texts::group_thousands(v));
                            view! {
                                <rect x=left + cw * h as f64 y=top + ch * d as f64 width=cw - 2.0 height=ch - 2.0
                                    class=format!("cell level-{level}") data-value=v><title>{tip}</title></rect>
                            }
                        }).collect_view()}
                    }
                }).collect_view()}
            </svg>
            <details class="chart-table">
                <summary>{title.clone()}</summary>
                <div class="table-wrap">
                    <table>
                        <thead><tr><th scope="col"></th>{(0..24).map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr></thead>
                        <tbody>
                            {cells.iter().enumerate().map(|(d, row)| view! {
                                <tr>
                                    <th scope="row">{days.get(d).cloned().unwrap_or_default()}</th>
                                    {row.iter().map(|v| view! { <td class="num">{*v}</td> }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn bars_stay_in_the_plot_and_labels_thin_out() {
        let s = super::Slots::new(24, 28.0);
        assert!(s.x(0) >= super::LEFT && s.x(23) + s.bar_w <= super::LEFT + super::PLOT_W);
        assert_eq!(s.every, 2, "24 labels of 28 px need every other one");
        assert_eq!(super::Slots::new(7, 28.0).every, 1);
        assert_eq!(super::Slots::new(0, 28.0).every, 1, "no labels: no division by zero");
    }

    #[test]
    fn axes_end_on_round_numbers() {
        let cases = [(0, 1), (1, 1), (3, 5), (7, 10), (10, 10), (11, 20), (260, 500), (501, 1_000), (99_999, 100_000)];
        for (max, want) in cases {
            assert_eq!(super::nice_max(max), want, "{max}");
        }
    }
}
