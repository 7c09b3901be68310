using System.Text.Json.Nodes;
using Studio.Sandbox.Resources;

namespace Studio.Sandbox.Api;

/// <summary>
/// The checks every write passes before it is stored: kind and apiVersion match the URL, metadata and spec rules, the
/// OpenAPI schema of custom resources and the typed fields of built-in kinds (unknown fields per fieldValidation).
/// </summary>
internal static class Admission
{
    public static void Validate(ResourceType t, JsonObject obj, RequestOptions opt, List<string>? warnings)
    {
        var errors = new List<FieldError>();
        ObjectRules.ValidateMetadata(t, (JsonObject)obj["metadata"]!, errors);
        if (t.Schema is not null)
        {
            var unknown = new List<string>();
            SchemaValidator.Validate(obj, t.Schema, errors, unknown);
            if (unknown.Count > 0)
            {
                if (opt.FieldValidation == "Strict")
                {
                    throw ApiException.BadRequest("strict decoding error: " + string.Join(", ", unknown.Select(u => $"unknown field \"{u}\"")));
                }

                if (opt.FieldValidation == "Warn")
                {
                    warnings?.AddRange(unknown.Select(u => $"unknown field \"{u}\""));
                }
            }
        }

        ObjectRules.ValidateSpec(t, obj, errors);
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(t.Kind, t.Group, (string?)obj["metadata"]?["name"] ?? "", errors);
        }

        var unknownFields = opt.Trusted ? [] : TypedFields.Check(t, obj);
        if (unknownFields.Count > 0)
        {
            if (opt.FieldValidation == "Strict")
            {
                throw ApiException.BadRequest("strict decoding error: " + string.Join(", ", unknownFields.Select(u => $"unknown field \"{u}\"")));
            }

            if (opt.FieldValidation == "Warn")
            {
                warnings?.AddRange(unknownFields.Select(u => $"unknown field \"{u}\""));
            }
        }
    }

    public static void CheckKind(ResourceType t, JsonObject body)
    {
        var kind = (string?)body["kind"];
        var apiVersion = (string?)body["apiVersion"];
        if (kind is not null && kind != t.Kind)
        {
            throw ApiException.BadRequest($"{kind} in version \"{t.Version}\" cannot be handled as a {t.Kind}: kind {kind} does not match {t.Kind}");
        }

        if (apiVersion is not null && apiVersion != t.ApiVersion && !(t.IsCustom && apiVersion.StartsWith(t.Group + "/", StringComparison.Ordinal)))
        {
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({t.ApiVersion})");
        }

        body["apiVersion"] = t.ApiVersion;
        body["kind"] = t.Kind;
    }
}
