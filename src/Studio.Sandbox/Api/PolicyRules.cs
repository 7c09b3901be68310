using System.Text.Json.Nodes;
using Studio.Sandbox.Simulation;

namespace Studio.Sandbox.Api;

/// <summary>Validation of CronJobs, PodDisruptionBudgets and Ingresses, with the real API server's field messages.</summary>
internal static class PolicyRules
{
    public static void Validate(string storageKey, JsonObject? spec, List<FieldError> errors)
    {
        switch (storageKey)
        {
            case "cronjobs.batch":
                var schedule = (string?)spec?["schedule"];
                if (string.IsNullOrEmpty(schedule))
                {
                    errors.Add(FieldError.Required("spec.schedule"));
                }
                else if (!CronSchedule.TryParse(schedule, out _, out var error))
                {
                    errors.Add(FieldError.Invalid("spec.schedule", schedule, error));
                }

                if ((string?)spec?["concurrencyPolicy"] is { } policy && policy is not ("Allow" or "Forbid" or "Replace"))
                {
                    errors.Add(FieldError.NotSupported("spec.concurrencyPolicy", policy, ["Allow", "Forbid", "Replace"]));
                }

                var template = spec?["jobTemplate"]?["spec"]?["template"] as JsonObject;
                if (template is null)
                {
                    errors.Add(FieldError.Required("spec.jobTemplate.spec.template"));
                }
                else if ((string?)template["spec"]?["restartPolicy"] is var restart && restart is not ("OnFailure" or "Never"))
                {
                    errors.Add(restart is null
                        ? FieldError.Required("spec.jobTemplate.spec.template.spec.restartPolicy")
                        : FieldError.NotSupported("spec.jobTemplate.spec.template.spec.restartPolicy", restart, ["OnFailure", "Never"]));
                }

                break;
            case "poddisruptionbudgets.policy":
                if (spec?["minAvailable"] is not null && spec["maxUnavailable"] is not null)
                {
                    errors.Add(FieldError.Invalid("spec", spec.ToJsonString(), "minAvailable and maxUnavailable cannot be both set"));
                }

                break;
            case "ingresses.networking.k8s.io":
                var rules = spec?["rules"] as JsonArray ?? [];
                for (var r = 0; r < rules.Count; r++)
                {
                    var paths = rules[r]?["http"]?["paths"] as JsonArray ?? [];
                    for (var p = 0; p < paths.Count; p++)
                    {
                        var at = $"spec.rules[{r}].http.paths[{p}]";
                        if ((string?)paths[p]?["pathType"] is not { } pathType)
                        {
                            errors.Add(FieldError.Required(at + ".pathType", "pathType must be specified"));
                        }
                        else if (pathType is not ("Exact" or "Prefix" or "ImplementationSpecific"))
                        {
                            errors.Add(FieldError.NotSupported(at + ".pathType", pathType, ["Exact", "ImplementationSpecific", "Prefix"]));
                        }

                        if (paths[p]?["backend"]?["service"] is null && paths[p]?["backend"]?["resource"] is null)
                        {
                            errors.Add(FieldError.Invalid(at + ".backend", "{}", "must specify a service or a resource"));
                        }
                    }
                }

                break;
        }
    }
}
