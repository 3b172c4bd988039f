//! The revision graph laid out for drawing: one row per revision, newest first (the order of
//! `alembic history`), each in a lane (a column) so that a branch runs in a lane of its own and
//! a merge joins the lanes of its parents. Pure data: the web page only draws it.

use super::History;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Where one revision is drawn and what it connects to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphNode {
    /// The revision id.
    pub id: String,
    /// Its row, 0 at the top (the newest revision).
    pub row: usize,
    /// Its lane, 0 at the left.
    pub lane: usize,
    /// One edge per down revision, to that revision's `(row, lane)`.
    pub parents: Vec<(usize, usize)>,
}

/// The whole graph: nodes in row order and how many lanes they use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphLayout {
    /// One node per revision, `nodes[i].row == i`.
    pub nodes: Vec<GraphNode>,
    /// The number of lanes (at least 1 when there is a revision).
    pub lanes: usize,
}

impl History {
    /// Every revision, newest first, in Alembic's topological order (the order of
    /// `alembic history`): a revision always comes before the ones it revises.
    pub fn newest_first(&self) -> Vec<&str> {
        let all: HashSet<usize> = (0..self.revisions.len()).collect();
        self.topological_sort(&all, &self.heads)
            .into_iter()
            .map(|position| self.id(position))
            .collect()
    }

    /// The revisions `ids` and all their ancestors (what is applied when `ids` are the
    /// `alembic_version` rows); unknown ids are skipped.
    pub fn applied_set(&self, ids: &[String]) -> HashSet<String> {
        let positions: Vec<usize> = ids
            .iter()
            .filter_map(|id| self.index.get(id))
            .copied()
            .collect();
        self.ancestors(&positions)
            .into_iter()
            .map(|position| self.id(position).to_string())
            .collect()
    }

    /// The graph laid out in rows and lanes (see the module doc).
    pub fn layout(&self) -> GraphLayout {
        let order = self.newest_first();
        let row_of = |id: &str| order.iter().position(|other| *other == id);
        // Lanes are assigned from the base upwards: a revision continues the lane of a down
        // revision unless a sibling took it already; a lane is free again once every revision
        // that revises its occupant has been placed (never for a head).
        let mut lane_of: Vec<Option<usize>> = vec![None; order.len()];
        let mut occupant: Vec<Option<usize>> = Vec::new();
        let mut handed_on: HashSet<usize> = HashSet::new();
        let mut children_left: Vec<usize> =
            order.iter().map(|id| self.children(id).len()).collect();
        for row in (0..order.len()).rev() {
            let revision = self
                .get(order[row])
                .expect("ordered ids come from the history");
            let parent_rows: Vec<usize> = revision
                .down_revisions
                .iter()
                .filter_map(|id| row_of(id))
                .collect();
            // Of the parents whose lane is still to be handed on, the leftmost: a merge then
            // continues the trunk and the branch's lane ends at it.
            let inherited = parent_rows
                .iter()
                .filter(|parent| !handed_on.contains(parent))
                .filter_map(|&parent| lane_of[parent].map(|lane| (parent, lane)))
                .min_by_key(|&(_, lane)| lane);
            let lane = match inherited {
                Some((parent, lane)) => {
                    handed_on.insert(parent);
                    lane
                }
                None => match occupant.iter().position(Option::is_none) {
                    Some(free) => free,
                    None => {
                        occupant.push(None);
                        occupant.len() - 1
                    }
                },
            };
            for &parent in &parent_rows {
                children_left[parent] -= 1;
                let parent_lane = lane_of[parent].expect("parents are placed first");
                if children_left[parent] == 0 && occupant[parent_lane] == Some(parent) {
                    occupant[parent_lane] = None;
                }
            }
            lane_of[row] = Some(lane);
            // A head keeps its lane to the top of the drawing.
            occupant[lane] = Some(row);
        }
        let nodes: Vec<GraphNode> = order
            .iter()
            .enumerate()
            .map(|(row, id)| {
                let revision = self.get(id).expect("ordered ids come from the history");
                GraphNode {
                    id: id.to_string(),
                    row,
                    lane: lane_of[row].expect("every row is placed"),
                    parents: revision
                        .down_revisions
                        .iter()
                        .filter_map(|down| row_of(down))
                        .map(|parent| (parent, lane_of[parent].expect("every row is placed")))
                        .collect(),
                }
            })
            .collect();
        GraphLayout {
            lanes: occupant.len(),
            nodes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;

    fn lane(layout: &GraphLayout, id: &str) -> usize {
        layout
            .nodes
            .iter()
            .find(|node| node.id == id)
            .map(|node| node.lane)
            .expect("node present")
    }

    #[test]
    fn contentengine_branch_runs_in_a_second_lane_and_merges_back() {
        let history = contentengine();
        let layout = history.layout();
        let order: Vec<&str> = layout.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(order.first(), Some(&"0a6c9e3f5b71"), "head on top");
        assert_eq!(order.last(), Some(&"4f2a9c1e7b3d"), "base at the bottom");
        assert_eq!(layout.lanes, 2);
        assert_ne!(
            lane(&layout, "c3e7a1d9f482"),
            lane(&layout, "d5f0b2c8e614"),
            "the two branches side by side"
        );
        for id in [
            "4f2a9c1e7b3d",
            "b81d3e5f0a27",
            "e9a4c6b1d358",
            "0a6c9e3f5b71",
        ] {
            assert_eq!(lane(&layout, id), 0, "{id} on the trunk");
        }
        let merge = layout
            .nodes
            .iter()
            .find(|n| n.id == "e9a4c6b1d358")
            .expect("merge");
        assert_eq!(merge.parents.len(), 2);
        let lanes: HashSet<usize> = merge.parents.iter().map(|(_, lane)| *lane).collect();
        assert_eq!(lanes.len(), 2, "the merge joins both lanes");
    }

    #[test]
    fn every_edge_points_down_to_an_older_row() {
        let layout = contentengine().layout();
        for node in &layout.nodes {
            for (parent_row, _) in &node.parents {
                assert!(*parent_row > node.row, "{} above its parent", node.id);
            }
            assert_eq!(layout.nodes[node.row].id, node.id);
        }
    }

    #[test]
    fn two_unmerged_heads_keep_two_lanes_to_the_top() {
        let history = History::from_revisions(vec![
            rev("aaaa", &[]),
            rev("bbbb", &["aaaa"]),
            rev("cccc", &["aaaa"]),
        ])
        .expect("valid");
        let layout = history.layout();
        assert_eq!(layout.lanes, 2);
        assert_ne!(lane(&layout, "bbbb"), lane(&layout, "cccc"));
        assert_eq!(layout.nodes.last().map(|n| n.id.as_str()), Some("aaaa"));
    }

    #[test]
    fn applied_set_is_the_rows_and_their_ancestors() {
        let history = contentengine();
        let applied = history.applied_set(&["c3e7a1d9f482".to_string()]);
        let mut ids: Vec<&str> = applied.iter().map(String::as_str).collect();
        ids.sort_unstable();
        assert_eq!(ids, vec!["4f2a9c1e7b3d", "b81d3e5f0a27", "c3e7a1d9f482"]);
        assert!(history.applied_set(&[]).is_empty());
    }
}
