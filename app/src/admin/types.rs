//! Inquiry types and routing: ko/en names, the agent group each routes to, the first-response
//! target, FAQ automation on/off and its confidence threshold; retire a type. Audited.

#[cfg(feature = "ssr")]
use crate::auth::guard::AdminCtx;
use crate::model::GroupOption;
use crate::auth::pages::Guarded;
use crate::domain::roles::Area;
use crate::error::AppError;
use crate::i18n::{use_i18n, Locale};
use crate::ui::{field_errors, FormAlert, PageError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeRow {
    pub code: String,
    pub name_ko: String,
    pub name_en: String,
    pub group_code: String,
    pub first_response_minutes: i64,
    pub auto_answer: bool,
    pub threshold: f64,
    pub retired: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypesView {
    pub types: Vec<TypeRow>,
    pub groups: Vec<GroupOption>,
}

#[server(endpoint = "admin_types")]
pub async fn admin_types(locale: Locale) -> Result<TypesView, AppError> {
    let AdminCtx { state, .. } = AdminCtx::require().await?;
    Ok(TypesView { types: super::queries::types(&state.db).await?, groups: crate::store::types::groups(&state.db, locale).await? })
}

/// Creates (`create` = "true") or updates a type. Check boxes arrive only when ticked.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "admin_type_save")]
pub async fn admin_type_save(
    create: String,
    code: String,
    name_ko: String,
    name_en: String,
    group_code: String,
    first_response_minutes: String,
    auto_answer: Option<String>,
    threshold: String,
    retired: Option<String>,
) -> Result<(), AppError> {
    let AdminCtx { user: admin, state, now } = AdminCtx::require().await?;
    let draft = crate::domain::inquiry_type::validate_type(
        &code,
        &name_ko,
        &name_en,
        &group_code,
        &first_response_minutes,
        auto_answer.is_some(),
        &threshold,
        retired.is_some(),
    )
    .map_err(AppError::Invalid)?;
    crate::store::types::save(&state.db, create == "true", &draft, admin.id, now).await?;
    crate::auth::api::redirect_plain_post("/admin/types?saved=1");
    Ok(())
}

#[component]
pub fn TypesPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<AdminTypeSave>::new();
    let value = Signal::derive(move || save.value().get());
    let query = leptos_router::hooks::use_query_map();
    let saved = move || query.read().get("saved").is_some();
    let data = Resource::new(move || (i18n.locale.get(), save.version().get()), |(l, _)| admin_types(l));
    view! {
        <Guarded area=Some(Area::Admin)>
            <section class="page-head">
                <h1>{move || i18n.t().inquiry_types_title()}</h1>
                <p class="lead">{move || i18n.t().inquiry_types_lead()}</p>
            </section>
            <FormAlert value=value />
            {move || (matches!(value.get(), Some(Ok(()))) || saved()).then(|| view! { <p class="card notice" role="status">{i18n.t().saved()}</p> })}
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading()}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(v) => {
                            let groups = v.groups;
                            view! {
                                {v.types.into_iter().map(|ty| view! { <TypeForm ty=Some(ty) groups=groups.clone() save=save value=value /> }).collect_view()}
                                <TypeForm ty=None groups=groups.clone() save=save value=value />
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
fn TypeForm(
    ty: Option<TypeRow>,
    groups: Vec<GroupOption>,
    save: ServerAction<AdminTypeSave>,
    value: Signal<Option<Result<(), AppError>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let create = ty.is_none();
    let row = ty.unwrap_or(TypeRow {
        code: String::new(),
        name_ko: String::new(),
        name_en: String::new(),
        group_code: String::new(),
        first_response_minutes: 240,
        auto_answer: true,
        threshold: 0.8,
        retired: false,
    });
    let prefix = if create { "new".to_string() } else { row.code.clone() };
    let id = move |f: &str| format!("type-{prefix}-{f}");
    let title = if create { t.new_type().to_string() } else { format!("{} · {}", row.name_ko, row.name_en) };
    // field errors only beside the form that was sent
    let err = move |field: &'static str| {
        move || {
            let sent_create = save.input().get().map(|i| i.create == "true");
            if sent_create != Some(create) && sent_create.is_some() {
                return String::new();
            }
            field_errors(value, field).get().iter().map(|c| crate::i18n::field_message(i18n.t(), c)).collect::<Vec<_>>().join(" ")
        }
    };
    view! {
        <section class="card type-form" class:retired=row.retired>
            <h2>{title}</h2>
            <ActionForm action=save attr:class="grid-form">
                <input type="hidden" name="create" value=create.to_string() />
                <div class="field">
                    <label for=id("code")>{t.type_code()}</label>
                    {if create {
                        view! { <input id=id("code") type="text" name="code" /> }.into_any()
                    } else {
                        view! { <input id=id("code") type="text" name="code" value=row.code.clone() readonly=true /> }.into_any()
                    }}
                    {create.then(|| view! { <p class="field-error">{err("code")}</p> })}
                </div>
                <div class="field">
                    <label for=id("name_ko")>{t.name_ko()}</label>
                    <input id=id("name_ko") type="text" name="name_ko" value=row.name_ko.clone() />
                </div>
                <div class="field">
                    <label for=id("name_en")>{t.name_en()}</label>
                    <input id=id("name_en") type="text" name="name_en" value=row.name_en.clone() />
                </div>
                <div class="field">
                    <label for=id("group")>{t.queue_group()}</label>
                    <select id=id("group") name="group_code">
                        {groups.into_iter().map(|g| { let s = g.code == row.group_code; view! { <option value=g.code selected=s>{g.name}</option> } }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=id("minutes")>{t.first_response_minutes()}</label>
                    <input id=id("minutes") type="number" name="first_response_minutes" min="1" value=row.first_response_minutes />
                    <p class="field-error">{err("first_response_minutes")}</p>
                </div>
                <div class="field">
                    <label class="check"><input type="checkbox" name="auto_answer" value="on" checked=row.auto_answer /> {t.auto_answer_on()}</label>
                    <label for=id("threshold")>{t.auto_answer_threshold()}</label>
                    <input id=id("threshold") type="number" name="threshold" min="0" max="1" step="0.01" value=row.threshold />
                    <p class="field-error">{err("threshold")}</p>
                </div>
                <div class="field">
                    <label class="check"><input type="checkbox" name="retired" value="on" checked=row.retired /> {t.type_retired()}</label>
                </div>
                <button type="submit" class="primary">{if create { t.create() } else { t.save() }}</button>
            </ActionForm>
        </section>
    }
}
