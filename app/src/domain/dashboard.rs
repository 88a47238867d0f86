//! My page layout: which panels a customer shows, in which order. Stored as JSON per customer;
//! unknown panels are dropped and new ones appended, so old saved layouts keep working.

use serde::{Deserialize, Serialize};

/// Every panel My page knows, in the default order.
pub const PANELS: [&str; 5] = ["orders", "inquiries", "faq", "notices", "chat"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelPref {
    pub id: String,
    pub shown: bool,
}

pub fn default_layout() -> Vec<PanelPref> {
    PANELS.iter().map(|id| PanelPref { id: id.to_string(), shown: true }).collect()
}

/// Reads a stored layout; anything unreadable falls back to the default.
pub fn parse_layout(json: Option<&str>) -> Vec<PanelPref> {
    let stored: Vec<PanelPref> = json.and_then(|j| serde_json::from_str(j).ok()).unwrap_or_default();
    let mut layout: Vec<PanelPref> = Vec::new();
    for p in stored {
        if PANELS.contains(&p.id.as_str()) && !layout.iter().any(|q| q.id == p.id) {
            layout.push(p);
        }
    }
    for id in PANELS {
        if !layout.iter().any(|p| p.id == id) {
            layout.push(PanelPref { id: id.to_string(), shown: true });
        }
    }
    layout
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrange {
    Up,
    Down,
    Show,
    Hide,
}

impl Arrange {
    pub fn parse(s: &str) -> Option<Arrange> {
        match s {
            "up" => Some(Arrange::Up),
            "down" => Some(Arrange::Down),
            "show" => Some(Arrange::Show),
            "hide" => Some(Arrange::Hide),
            _ => None,
        }
    }
}

/// Applies one change; `None` when the panel is unknown.
pub fn arrange(mut layout: Vec<PanelPref>, panel: &str, change: Arrange) -> Option<Vec<PanelPref>> {
    let i = layout.iter().position(|p| p.id == panel)?;
    match change {
        Arrange::Up if i > 0 => layout.swap(i, i - 1),
        Arrange::Down if i + 1 < layout.len() => layout.swap(i, i + 1),
        Arrange::Show => layout[i].shown = true,
        Arrange::Hide => layout[i].shown = false,
        _ => {}
    }
    Some(layout)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(l: &[PanelPref]) -> Vec<&str> {
        l.iter().map(|p| p.id.as_str()).collect()
    }

    #[test]
    fn stored_layouts_are_repaired() {
        assert_eq!(ids(&parse_layout(None)), PANELS);
        assert_eq!(ids(&parse_layout(Some("not json"))), PANELS);
        let l = parse_layout(Some(r#"[{"id":"faq","shown":false},{"id":"gone","shown":true},{"id":"faq","shown":true}]"#));
        assert_eq!(ids(&l), ["faq", "orders", "inquiries", "notices", "chat"]);
        assert!(!l[0].shown);
    }

    #[test]
    fn moving_and_hiding() {
        let l = arrange(default_layout(), "faq", Arrange::Up).expect("known");
        assert_eq!(ids(&l), ["orders", "faq", "inquiries", "notices", "chat"]);
        let l = arrange(l, "orders", Arrange::Up).expect("known");
        assert_eq!(ids(&l), ["orders", "faq", "inquiries", "notices", "chat"], "top stays top");
        let l = arrange(l, "chat", Arrange::Down).expect("known");
        assert_eq!(ids(&l)[4], "chat", "bottom stays bottom");
        let l = arrange(l, "faq", Arrange::Hide).expect("known");
        assert!(!l[1].shown);
        assert!(arrange(l, "nope", Arrange::Up).is_none());
    }
}
