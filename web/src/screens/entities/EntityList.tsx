// Entités: the tenant's legal and internal entities the caller sees.
import { Fragment } from "preact";
import { useEffect, useState } from "preact/hooks";
import { type Problem, type Schemas, networkProblem, problemOf } from "../../api/client";
import { useApp } from "../../context";
import { editsEntity, managesEntities } from "./access";
import { Refusal, RemoveEntity } from "./RemoveEntity";
import { KIND_LABEL, addressLine } from "./values";

type Entity = Schemas["Entity"];

export function EntityList({ query }: { query: URLSearchParams }) {
  const { api, me } = useApp();
  const [entities, setEntities] = useState<Entity[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    api.GET("/entities").then(
      ({ data, error, response }) => (data ? setEntities(sorted(data.entities)) : setProblem(problemOf(error, response.status))),
      () => setProblem(networkProblem()),
    );
  }, []);

  const removed = (gone: Entity) => setEntities((all) => all?.filter((e) => e.entity_id !== gone.entity_id) ?? null);
  return (
    <section class="entities-area" aria-labelledby="entities-title" data-loaded={String(entities !== null)}>
      <h1 id="entities-title">Entités</h1>
      <p class="hint">
        Les sociétés (personnes morales) et les sites ou services internes auxquels appartiennent vos véhicules
        et vos conducteurs. Chaque utilisateur reçoit ses rôles sur une ou plusieurs entités.
      </p>
      <Done query={query} entities={entities} />
      {managesEntities(me.can) && <p><a class="button primary" href="/entites/nouvelle">Ajouter une entité</a></p>}
      {problem && <p class="error" role="alert">{problem.message}</p>}
      {!entities && !problem && <p aria-busy="true">Chargement des entités…</p>}
      {entities && entities.length === 0 && <p class="empty">Aucune entité pour l'instant.</p>}
      {entities && entities.length > 0 && <EntityTable entities={entities} onRemoved={removed} />}
    </section>
  );
}

function sorted(entities: Entity[]): Entity[] {
  return [...entities].sort((a, b) => a.name.localeCompare(b.name, "fr"));
}

/** What the form did, told once the list shows it. */
function Done({ query, entities }: { query: URLSearchParams; entities: Entity[] | null }) {
  const id = query.get("ajoutee") ?? query.get("enregistree");
  const entity = entities?.find((e) => e.entity_id === id);
  if (!entity) return null;
  const what = query.has("ajoutee") ? "est ajoutée" : ": les changements sont enregistrés";
  return <p class="saved" role="status">L'entité « {entity.name} » {what}.</p>;
}

function EntityTable({ entities, onRemoved }: { entities: Entity[]; onRemoved: (e: Entity) => void }) {
  const [refused, setRefused] = useState<{ id: string; problem: Problem } | null>(null);
  const refusalOf = (entity: Entity) => (problem: Problem | null) =>
    setRefused(problem ? { id: entity.entity_id, problem } : null);
  return (
    <table class="notices entities">
      <caption class="visually-hidden">Entités par ordre alphabétique</caption>
      <thead>
        <tr>
          <th scope="col">Entité</th>
          <th scope="col">Type</th>
          <th scope="col">Adresse</th>
          <th scope="col">SIREN / SIRET</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {entities.map((entity) => (
          <EntityRow key={entity.entity_id} entity={entity} onRemoved={onRemoved}
            refusal={refused?.id === entity.entity_id ? refused.problem : null} onRefused={refusalOf(entity)} />
        ))}
      </tbody>
    </table>
  );
}

interface RowProps {
  entity: Entity;
  onRemoved: (e: Entity) => void;
  refusal: Problem | null;
  onRefused: (problem: Problem | null) => void;
}

/** The entity's row, and under it why its removal was refused. */
function EntityRow({ entity, onRemoved, refusal, onRefused }: RowProps) {
  const { me } = useApp();
  return (
    <Fragment>
      <tr data-entity={entity.name}>
        <th scope="row">{entity.name}</th>
        <td>{KIND_LABEL[entity.kind]}</td>
        <td>{addressLine(entity) || <span class="muted">—</span>}</td>
        <td><CompanyIds entity={entity} /></td>
        <td class="row-actions">
          {editsEntity(me.can, entity.entity_id) && (
            <a href={`/entites/${encodeURIComponent(entity.entity_id)}`} aria-label={`Modifier l'entité ${entity.name}`}>Modifier</a>
          )}
          {managesEntities(me.can) && <RemoveEntity entity={entity} onRemoved={onRemoved} onRefused={onRefused} />}
        </td>
      </tr>
      {refusal && (
        <tr class="refusal">
          <td colSpan={5}><Refusal entity={entity} problem={refusal} /></td>
        </tr>
      )}
    </Fragment>
  );
}

function CompanyIds({ entity }: { entity: Entity }) {
  if (!entity.siren && !entity.siret) return <span class="muted">—</span>;
  return (
    <>
      {entity.siren && <span class="company-id">SIREN {entity.siren}</span>}
      {entity.siret && <span class="company-id">SIRET {entity.siret}</span>}
    </>
  );
}
