//! The schema of the selected table (`data-testid="table-schema"`): columns with type,
//! NOT NULL, default and primary key; indexes; foreign keys; named CHECKs; the CREATE statements.

use yew::prelude::*;

use crate::db::TableDetail;

/// Props of [`TableSchema`].
#[derive(Properties, PartialEq)]
pub struct TableSchemaProps {
    /// The table's schema.
    pub detail: TableDetail,
}

/// Lists and the CREATE text.
#[function_component(TableSchema)]
pub fn table_schema(props: &TableSchemaProps) -> Html {
    let table = &props.detail.table;
    let columns = table.columns.iter().map(|column| {
        html! {
            <tr data-column={column.name.clone()}>
                <td><code>{ &column.name }</code></td>
                <td>{ if column.declared_type.is_empty() { "(none)" } else { column.declared_type.as_str() } }</td>
                <td>{ if column.notnull { "NOT NULL" } else { "" } }</td>
                <td>{ column.default.clone().unwrap_or_default() }</td>
                <td>{ if column.pk > 0 { format!("PK {}", column.pk) } else { String::new() } }</td>
            </tr>
        }
    });
    let indexes = table.indexes.iter().map(|index| {
        let name = index
            .name
            .clone()
            .unwrap_or_else(|| format!("({} constraint)", index.origin));
        html! {
            <li><code>{ name }</code>{ format!(" {}{}{}", index.column_list(),
                if index.unique { ", unique" } else { "" },
                if index.partial { ", partial" } else { "" }) }</li>
        }
    });
    let foreign_keys = table.foreign_keys.iter().map(|fk| {
        html! {
            <li><code>{ &fk.from }</code>{ format!(" → {}({}) ON DELETE {}, ON UPDATE {}", fk.table,
                fk.to.clone().unwrap_or_default(), fk.on_delete, fk.on_update) }</li>
        }
    });
    let checks = table.checks.iter().map(|check| {
        html! { <li><code>{ &check.name }</code>{ format!(": CHECK ({})", check.expr) }</li> }
    });
    let none = || html! { <li class="hint">{ "none" }</li> };
    let mut create = props.detail.create_sql.clone();
    for index_sql in &props.detail.index_sql {
        create.push_str(";\n");
        create.push_str(index_sql);
    }
    create.push(';');
    html! {
        <div class="table-schema" data-testid="table-schema">
            <h4>{ "Columns" }</h4>
            <div class="grid-scroll" tabindex="0">
                <table class="grid">
                    <thead><tr>
                        <th scope="col">{ "name" }</th><th scope="col">{ "type" }</th>
                        <th scope="col">{ "null" }</th><th scope="col">{ "default" }</th>
                        <th scope="col">{ "key" }</th>
                    </tr></thead>
                    <tbody>{ for columns }</tbody>
                </table>
            </div>
            <h4>{ "Indexes" }</h4>
            <ul data-testid="schema-indexes">{ if table.indexes.is_empty() { none() } else { indexes.collect() } }</ul>
            <h4>{ "Foreign keys" }</h4>
            <ul data-testid="schema-foreign-keys">{ if table.foreign_keys.is_empty() { none() } else { foreign_keys.collect() } }</ul>
            <h4>{ "CHECK constraints" }</h4>
            <ul data-testid="schema-checks">{ if table.checks.is_empty() { none() } else { checks.collect() } }</ul>
            <h4>{ "CREATE statement" }</h4>
            <pre class="sql" data-testid="create-sql" tabindex="0">{ create }</pre>
        </div>
    }
}
