-- Which milestones did each industry chain reach this quarter?
-- Projects per milestone (开工 started, 过半 half complete, 试运行 trial run, 投产 in production,
-- 竣工 completed) with that milestone in the current local quarter.
-- Returns: chain, projects, started, half_complete, trial_run, in_production, completed
SELECT
    scope_key AS chain,
    projects,
    started,
    half_complete,
    trial_run,
    in_production,
    completed
FROM project_current
WHERE period = 'quarter'
  AND scope = 'chain'
ORDER BY started + half_complete + trial_run + in_production + completed DESC, chain;
