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

/// The y axis of the bar charts: five round ticks from 0 to `top` with grid lines, and the x
/// axis line.
fn y_axis(top: i64, plot_h: f64) -> impl IntoView {
    let ticks: Vec<i64> = (0..=4).map(|i| top * i / 4).collect();
    view! {
        {ticks.into_iter().map(|t| {
            let y = TOP + plot_h - plot_h * t as f64 / top as f64;
            view! {
                <line x1=LEFT y1=y x2=W - 8.0 y2=y class="grid" />
                <text x=LEFT - 6.0 y=y + 4.0 class="tick" text-anchor="end">{crate::i18n::texts::group_thousands(t)}</text>
            }
        }).collect_view()}
        <line x1=LEFT y1=TOP + plot_h x2=W - 8.0 y2=TOP + plot_h class="axis" />
    }
}

/// Vertical bars, one per label, with a y axis of four ticks.
#[component]
pub fn BarChart(id: String, title: String, labels: Vec<String>, values: Vec<i64>, value_label: String) -> impl IntoView {
    let top = nice_max(values.iter().copied().max().unwrap_or(0));
    let n = labels.len().max(1) as f64;
    let plot_w = W - LEFT - 8.0;
    let plot_h = H - TOP - BOTTOM;
    let slot = plot_w / n;
    let bar_w = (slot * 0.7).max(1.0);
    let title_id = format!("{id}-title");
    // label every bar when they fit, else every few
    let every = ((n * 28.0 / plot_w).ceil() as usize).max(1);
    view! {
        <figure class="chart" id=id.clone()>
            <figcaption id=title_id.clone()>{title.clone()}</figcaption>
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-labelledby=title_id class="bar-chart">
                {y_axis(top, plot_h)}
                {labels.iter().zip(&values).enumerate().map(|(i, (label, &v))| {
                    let h = plot_h * v as f64 / top as f64;
                    let x = LEFT + slot * i as f64 + (slot - bar_w) / 2.0;
                    let tip = format!("{label}: {} {value_label}", crate::i18n::texts::group_thousands(v));
                    view! {
                        <rect x=x y=TOP + plot_h - h width=bar_w height=h class="bar"><title>{tip}</title></rect>
                        {(i % every == 0).then(|| view! {
                            <text x=x + bar_w / 2.0 y=H - 10.0 class="tick" text-anchor="middle">{label.clone()}</text>
                        })}
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
    let n = labels.len().max(1) as f64;
    let plot_w = W - LEFT - 8.0;
    let plot_h = H - TOP - BOTTOM;
    let slot = plot_w / n;
    let bar_w = (slot * 0.7).max(1.0);
    let title_id = format!("{id}-title");
    // label every bar when the longest label fits its slot, else every few
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(1) as f64;
    let every = ((n * (longest * 9.0 + 8.0) / plot_w).ceil() as usize).max(1);
    view! {
        <figure class="chart" id=id.clone()>
            <figcaption id=title_id.clone()>{title.clone()}</figcaption>
            <ul class="legend">
                {series.iter().enumerate().map(|(k, name)| view! { <li><span class=format!("swatch series-{}", k % 6)></span>{name.clone()}</li> }).collect_view()}
            </ul>
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-labelledby=title_id class="bar-chart">
                {y_axis(top, plot_h)}
                {labels.iter().zip(&values).enumerate().map(|(i, (label, row))| {
                    let x = LEFT + slot * i as f64 + (slot - bar_w) / 2.0;
                    let mut base = TOP + plot_h;
                    let segments = row.iter().enumerate().filter(|(_, v)| **v > 0).map(|(k, &v)| {
                        let h = plot_h * v as f64 / top as f64;
                        let (bx, by, bw) = match grouped {
                            true => (x + bar_w / k_series * k as f64, TOP + plot_h - h, bar_w / k_series),
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
                        {(i % every == 0).then(|| view! {
                            <text x=x + bar_w / 2.0 y=H - 10.0 class="tick" text-anchor="middle">{label.clone()}</text>
                        })}
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
    fn axes_end_on_round_numbers() {
        let cases = [(0, 1), (1, 1), (3, 5), (7, 10), (10, 10), (11, 20), (260, 500), (501, 1_000), (99_999, 100_000)];
        for (max, want) in cases {
            assert_eq!(super::nice_max(max), want, "{max}");
        }
    }
}
