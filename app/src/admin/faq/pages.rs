//! The faq pages (components rendered on the server; the islands and server functions
//! they use are in `mod.rs`).

use super::*;

#[component]
pub fn FaqAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let p = move |k: &str| query.read().get(k).unwrap_or_default();
    let data = Resource::new(
        move || (p("q"), p("type"), p("language"), p("active"), i18n.locale.get()),
        |(q, ty, lang, active, l)| admin_faq_list(q, ty, lang, active, l),
    );
    view! {
        <Guarded area=Some(Area::Admin)>
            <section class="page-head">
                <h1>{move || i18n.t().faq_templates()}</h1>
                <p class="actions">
                    <a class="button primary" href="/admin/faq/new">{move || i18n.t().new_template()}</a>
                    " " <a class="button" href="/admin/faq/proposals">{move || i18n.t().faq_proposals()}</a>
                    " " <a class="button" href="/admin/faq/mining">{move || i18n.t().mining_title()}</a>
                </p>
            </section>
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading()}</p> }>
                {move || Suspend::new(async move {
                    let t = i18n.t();
                    match data.await {
                        Ok(v) => {
                            let (ty, lang, active) = (p("type"), p("language"), p("active"));
                            view! {
                                <form method="get" action="/admin/faq" class="filters" role="search">
                                    <label for="filter-q">{t.search()}</label>
                                    <input id="filter-q" type="search" name="q" value=p("q") />
                                    <label for="filter-type">{t.inquiry_type()}</label>
                                    <select id="filter-type" name="type">
                                        <option value="" selected=ty.is_empty()>{t.all_types()}</option>
                                        {v.types.into_iter().map(|o| { let s = o.code == ty; view! { <option value=o.code selected=s>{o.name}</option> } }).collect_view()}
                                    </select>
                                    <label for="filter-language">{t.language()}</label>
                                    <select id="filter-language" name="language">
                                        <option value="" selected=lang.is_empty()>{t.all_languages()}</option>
                                        {LANGUAGES.iter().map(|l| view! { <option value=*l selected=lang == *l>{t.language_name(l)}</option> }).collect_view()}
                                    </select>
                                    <label for="filter-active">{t.status()}</label>
                                    <select id="filter-active" name="active">
                                        <option value="" selected=active.is_empty()>{t.all_statuses()}</option>
                                        <option value="active" selected=active == "active">{t.template_active()}</option>
                                        <option value="retired" selected=active == "retired">{t.template_retired()}</option>
                                    </select>
                                    <button type="submit">{t.apply()}</button>
                                </form>
                                <div class="table-wrap card">
                                    <table>
                                        <thead><tr>
                                            <th scope="col">{t.question()}</th>
                                            <th scope="col">{t.inquiry_type()}</th>
                                            <th scope="col">{t.language()}</th>
                                            <th scope="col">{t.hits()}</th>
                                            <th scope="col">{t.solved_rate()}</th>
                                            <th scope="col">{t.escalations()}</th>
                                            <th scope="col">{t.deflections()}</th>
                                            <th scope="col">{t.revision()}</th>
                                        </tr></thead>
                                        <tbody>
                                            {v.rows.into_iter().map(|r| view! {
                                                <tr class:retired=r.retired>
                                                    <td>
                                                        <a href=format!("/admin/faq/{}", r.id)>{r.question}</a>
                                                        {r.retired.then(|| view! { " " <span class="badge">{t.template_retired()}</span> })}
                                                    </td>
                                                    <td>{r.type_name}</td>
                                                    <td>{t.language_name(&r.language)}</td>
                                                    <td>{r.hits}</td>
                                                    <td>{rate(r.solved, r.hits)}</td>
                                                    <td>{r.escalations}</td>
                                                    <td>{r.deflections}</td>
                                                    <td>{r.revision}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </Guarded>
    }
}

#[component]
pub fn FaqEditPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok());
    let test = move || query.read().get("test").unwrap_or_default();
    let from = move || query.read().get("from").filter(|f| !f.trim().is_empty());
    let save = ServerAction::<AdminFaqSave>::new();
    let retire = ServerAction::<AdminFaqRetire>::new();
    let revert = ServerAction::<AdminFaqRevert>::new();
    let save_value = Signal::derive(move || save.value().get());
    navigate_on_success(save_value);
    let other = Signal::derive(move || retire.value().get().or_else(|| revert.value().get()));
    let data = Resource::new(
        move || (id(), test(), from(), i18n.locale.get(), retire.version().get(), revert.version().get()),
        |(id, test, from, l, ..)| admin_faq_get(id, test, from, l),
    );
    let saved = move || query.read().get("saved").is_some();
    let err = move |field: &'static str| {
        move || field_errors(save_value, field).get().iter().map(|c| crate::i18n::field_message(i18n.t(), c)).collect::<Vec<_>>().join(" ")
    };
    view! {
        <Guarded area=Some(Area::Admin)>
            <p><a href="/admin/faq">{move || i18n.t().faq_templates()}</a></p>
            <FormAlert value=save_value />
            <FormAlert value=other />
            {move || saved().then(|| view! { <p class="card notice" role="status">{i18n.t().template_saved()}</p> })}
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading()}</p> }>
                {move || Suspend::new(async move {
                    let t = i18n.t();
                    match data.await {
                        Ok(v) => {
                            let tpl = v.template.clone();
                            let (tid, ty, lang, question, mut phrasings, answer) = match (&tpl, &v.draft) {
                                (Some(d), _) => (d.id.to_string(), d.type_code.clone(), d.language.clone(), d.question.clone(), d.phrasings.clone(), d.answer.clone()),
                                (None, Some(m)) => (String::new(), m.type_code.clone(), m.language.clone(), m.question.clone(), m.phrasings.clone(), m.answer.clone()),
                                (None, None) => (String::new(), String::new(), i18n.locale.get_untracked().code().to_string(), String::new(), Vec::new(), String::new()),
                            };
                            // question mining's wordings for an existing template: after its own
                            let added = match (&tpl, &v.draft) {
                                (Some(_), Some(m)) => {
                                    let wordings = std::iter::once(m.question.as_str()).chain(m.phrasings.iter().map(String::as_str));
                                    let new = crate::domain::mining::draft_phrasings(&question, phrasings.iter().map(String::as_str).chain(wordings), usize::MAX, usize::MAX);
                                    let added = new.len().saturating_sub(phrasings.len());
                                    phrasings = new;
                                    Some(added)
                                }
                                _ => None,
                            };
                            let phrasings = phrasings.join("\n");
                            let mined = match (&tpl, &v.draft) {
                                (None, Some(m)) => Some(t.mining_draft_from(m.inquiries)),
                                _ => added.map(|n| t.mining_wordings_added(n)),
                            };
                            let test_action = match &tpl { Some(d) => format!("/admin/faq/{}", d.id), None => "/admin/faq/new".into() };
                            view! {
                                <section class="page-head">
                                    <h1>{tpl.as_ref().map(|d| d.question.clone()).unwrap_or_else(|| t.new_template().to_string())}</h1>
                                    {tpl.as_ref().map(|d| view! {
                                        <p class="lead">
                                            {t.revision_n(d.revision)} " · " {t.hits()} " " {d.hits} " · " {t.solved_rate()} " " {rate(d.solved, d.hits)}
                                            " · " {t.escalations()} " " {d.escalations}
                                            " · " {t.deflections()} " " {d.deflections}
                                            {d.retired.then(|| view! { " · " <span class="badge">{t.template_retired()}</span> })}
                                        </p>
                                    })}
                                </section>
                                {mined.map(|m| view! { <p class="card notice" role="status">{m}</p> })}
                                <div class="workspace">
                                    <div class="workspace-main">
                                        <section class="card">
                                            <ActionForm action=save>
                                                <input type="hidden" name="id" value=tid />
                                                <div class="field">
                                                    <label for="field-type_code">{t.inquiry_type()}</label>
                                                    <select id="field-type_code" name="type_code">
                                                        {v.types.into_iter().map(|o| { let s = o.code == ty; view! { <option value=o.code selected=s>{o.name}</option> } }).collect_view()}
                                                    </select>
                                                </div>
                                                <div class="field">
                                                    <label for="field-language">{t.language()}</label>
                                                    <select id="field-language" name="language">
                                                        {LANGUAGES.iter().map(|l| view! { <option value=*l selected=lang == *l>{t.language_name(l)}</option> }).collect_view()}
                                                    </select>
                                                    <p class="field-error">{err("language")}</p>
                                                </div>
                                                <div class="field">
                                                    <label for="field-question">{t.question()}</label>
                                                    <input id="field-question" type="text" name="question" value=question aria-describedby="field-question-error" />
                                                    <p class="field-error" id="field-question-error">{err("question")}</p>
                                                </div>
                                                <div class="field">
                                                    <label for="field-phrasings">{t.phrasings()}</label>
                                                    <textarea id="field-phrasings" name="phrasings" rows="8" aria-describedby="field-phrasings-hint field-phrasings-error">{phrasings}</textarea>
                                                    <p class="hint" id="field-phrasings-hint">{t.phrasings_hint()}</p>
                                                    <p class="field-error" id="field-phrasings-error">{err("phrasings")}</p>
                                                </div>
                                                <div class="field">
                                                    <label for="field-answer">{t.answer()}</label>
                                                    <textarea id="field-answer" name="answer" rows="8" aria-describedby="field-answer-error">{answer}</textarea>
                                                    <p class="field-error" id="field-answer-error">{err("answer")}</p>
                                                </div>
                                                <button type="submit" class="primary">{t.save()}</button>
                                            </ActionForm>
                                            {tpl.as_ref().map(|d| (d.id, d.retired)).map(|(did, retired)| {
                                                view! {
                                                    <ActionForm action=retire attr:class="inline-form">
                                                        <input type="hidden" name="id" value=did />
                                                        <input type="hidden" name="retired" value=(!retired).to_string() />
                                                        <button type="submit">{if retired { t.restore_template() } else { t.retire_template() }}</button>
                                                    </ActionForm>
                                                }
                                            })}
                                        </section>
                                        {tpl.as_ref().map(|d| {
                                            let revs = d.revisions.clone();
                                            let id = d.id;
                                            view! {
                                                <section class="card" aria-labelledby="revisions-title">
                                                    <h2 id="revisions-title">{t.revisions()}</h2>
                                                    <ol class="revisions">
                                                        {revs.iter().enumerate().map(|(i, r)| {
                                                            let previous = revs.get(i + 1).map(|p| p.as_text()).unwrap_or_default();
                                                            let diff = diff_lines(&previous, &r.as_text());
                                                            let current = i == 0;
                                                            let rev = r.revision;
                                                            let summary = format!("{} · {} · {}", t.revision_n(r.revision), r.editor.clone().unwrap_or_default(), format_datetime(r.edited_at));
                                                            view! {
                                                                <li>
                                                                    <details>
                                                                        <summary>{summary}</summary>
                                                                        <pre class="diff">
                                                                            {diff.into_iter().map(|l| match l {
                                                                                DiffLine::Same(s) => view! { <span class="same">{format!("  {s}\n")}</span> }.into_any(),
                                                                                DiffLine::Added(s) => view! { <ins>{format!("+ {s}\n")}</ins> }.into_any(),
                                                                                DiffLine::Removed(s) => view! { <del>{format!("- {s}\n")}</del> }.into_any(),
                                                                            }).collect_view()}
                                                                        </pre>
                                                                    </details>
                                                                    {(!current).then(|| view! {
                                                                        <ActionForm action=revert attr:class="inline-form">
                                                                            <input type="hidden" name="id" value=id />
                                                                            <input type="hidden" name="revision" value=rev />
                                                                            <button type="submit">{t.revert_to(rev)}</button>
                                                                        </ActionForm>
                                                                    })}
                                                                </li>
                                                            }
                                                        }).collect::<Vec<_>>()}
                                                    </ol>
                                                </section>
                                            }
                                        })}
                                    </div>
                                    <aside class="card">
                                        <h2>{t.test_box()}</h2>
                                        <form method="get" action=test_action class="stack">
                                            <label for="field-test">{t.test_question()}</label>
                                            <input id="field-test" type="search" name="test" value=test() />
                                            {from().map(|f| view! { <input type="hidden" name="from" value=f /> })}
                                            <button type="submit">{t.test_run()}</button>
                                        </form>
                                        {(!v.ranking.is_empty()).then(|| view! {
                                            <ol class="ranking">
                                                {v.ranking.into_iter().map(|r| view! {
                                                    <li><a href=format!("/admin/faq/{}?test={}", r.template_id, encode_query_value(&test()))>{r.question}</a> " " <span class="badge">{t.confidence(r.confidence)}</span></li>
                                                }).collect_view()}
                                            </ol>
                                        })}
                                        {tpl.as_ref().map(|d| {
                                            let threshold = d.threshold;
                                            view! {
                                                <h2>{t.preview_title()}</h2>
                                                <p class="hint">{t.preview_hint(threshold)}</p>
                                                {if v.preview.is_empty() {
                                                    view! { <p>{t.preview_none()}</p> }.into_any()
                                                } else {
                                                    view! {
                                                        <ul class="item-list">
                                                            {v.preview.into_iter().map(|p| view! {
                                                                <li><a href=format!("/agent/inquiries/{}", p.inquiry_id)>{p.subject}</a> " " <span class="badge">{t.confidence(p.confidence)}</span></li>
                                                            }).collect_view()}
                                                        </ul>
                                                    }.into_any()
                                                }}
                                            }
                                        })}
                                    </aside>
                                </div>
                            }.into_any()
                        }
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </Guarded>
    }
}

#[component]
pub fn FaqProposalsPage() -> impl IntoView {
    let i18n = use_i18n();
    let decide = ServerAction::<AdminFaqDecide>::new();
    let value = Signal::derive(move || decide.value().get());
    navigate_on_success(value);
    let data = Resource::new(move || (i18n.locale.get(), decide.version().get()), |(l, _)| admin_faq_proposals(l));
    view! {
        <Guarded area=Some(Area::Admin)>
            <p><a href="/admin/faq">{move || i18n.t().faq_templates()}</a></p>
            <section class="page-head"><h1>{move || i18n.t().faq_proposals()}</h1></section>
            <FormAlert value=value />
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading()}</p> }>
                {move || Suspend::new(async move {
                    let t = i18n.t();
                    match data.await {
                        Ok(list) if list.is_empty() => view! { <p class="card">{t.no_proposals()}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="item-list">
                                {list.into_iter().map(|p| view! {
                                    <li class="card">
                                        <h2>{p.question}</h2>
                                        <p class="meta">{p.agent} " · " {p.type_name} " · " {t.language_name(&p.language)} " · " {format_datetime(p.created_at)}
                                            " · " <a href=format!("/agent/inquiries/{}", p.inquiry_id)>{t.source_inquiry()}</a></p>
                                        <p class="msg-body">{p.answer}</p>
                                        <div class="actions">
                                            <ActionForm action=decide attr:class="inline-form">
                                                <input type="hidden" name="id" value=p.id />
                                                <input type="hidden" name="approve" value="true" />
                                                <button type="submit" class="primary">{t.approve()}</button>
                                            </ActionForm>
                                            <ActionForm action=decide attr:class="inline-form">
                                                <input type="hidden" name="id" value=p.id />
                                                <input type="hidden" name="approve" value="false" />
                                                <button type="submit">{t.reject()}</button>
                                            </ActionForm>
                                        </div>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </Guarded>
    }
}
