//! The page's views, switched by the tabs under the header and named in the URL fragment
//! (`#overview`, `#migrate`, `#schema`, `#data`), as Yew's `function_todomvc` names its filters.

/// One view of the page: the header stays, the view under it changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    /// The file's facts, the drift check and its baseline, the downloads.
    #[default]
    Overview,
    /// The migrate target and its preview, the step log, the revision graph.
    Migrate,
    /// The ER diagram, the comparison of two revisions, the schema's evolution.
    Schema,
    /// The tables and their rows, the SQL console, the exports.
    Data,
}

impl View {
    /// Every view, in the order of the tabs.
    pub const ALL: [View; 4] = [View::Overview, View::Migrate, View::Schema, View::Data];

    /// The view's name: its URL fragment, and the `view-NAME` / `panel-NAME` of its tab and panel.
    pub fn name(self) -> &'static str {
        match self {
            View::Overview => "overview",
            View::Migrate => "migrate",
            View::Schema => "schema",
            View::Data => "data",
        }
    }

    /// The tab's label.
    pub fn title(self) -> &'static str {
        match self {
            View::Overview => "Overview",
            View::Migrate => "Migrate",
            View::Schema => "Schema",
            View::Data => "Data",
        }
    }

    /// The view a URL fragment (`#migrate` or `migrate`) names; the overview for any other.
    pub fn from_fragment(fragment: &str) -> View {
        let name = fragment.strip_prefix('#').unwrap_or(fragment);
        View::ALL
            .into_iter()
            .find(|view| view.name() == name)
            .unwrap_or_default()
    }

    /// The view `steps` tabs further (negative: back), wrapping around as arrow keys do in a
    /// tablist.
    pub fn step(self, steps: isize) -> View {
        let count = View::ALL.len() as isize;
        let index = View::ALL.iter().position(|view| *view == self).unwrap_or(0) as isize;
        View::ALL[(index + steps).rem_euclid(count) as usize]
    }

    /// The view a key pressed on the tabs moves to (arrows, Home, End), if the key moves.
    pub fn after_key(self, key: &str) -> Option<View> {
        match key {
            "ArrowRight" => Some(self.step(1)),
            "ArrowLeft" => Some(self.step(-1)),
            "Home" => Some(View::ALL[0]),
            "End" => Some(View::ALL[View::ALL.len() - 1]),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::View;

    #[test]
    fn a_fragment_names_its_view_and_anything_else_is_the_overview() {
        assert_eq!(View::from_fragment("#schema"), View::Schema);
        assert_eq!(View::from_fragment("data"), View::Data);
        assert_eq!(View::from_fragment(""), View::Overview);
        assert_eq!(View::from_fragment("#Migrate"), View::Overview);
        assert_eq!(View::from_fragment("#nothing"), View::Overview);
        for view in View::ALL {
            assert_eq!(View::from_fragment(&format!("#{}", view.name())), view);
        }
    }

    #[test]
    fn arrow_keys_wrap_and_home_end_go_to_the_ends() {
        assert_eq!(View::Overview.after_key("ArrowRight"), Some(View::Migrate));
        assert_eq!(View::Data.after_key("ArrowRight"), Some(View::Overview));
        assert_eq!(View::Overview.after_key("ArrowLeft"), Some(View::Data));
        assert_eq!(View::Schema.after_key("Home"), Some(View::Overview));
        assert_eq!(View::Migrate.after_key("End"), Some(View::Data));
        assert_eq!(View::Migrate.after_key("Enter"), None);
    }
}
