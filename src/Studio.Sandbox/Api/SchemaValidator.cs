using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Studio.Sandbox.Api;

/// <summary>Validates (and prunes) a custom resource against a CRD version's openAPIV3Schema.</summary>
internal static class SchemaValidator
{
    public static void Validate(JsonObject obj, JsonObject schema, List<FieldError> errors, List<string> unknownFields)
    {
        foreach (var (k, v) in obj.ToList())
        {
            if (k is "apiVersion" or "kind" or "metadata")
            {
                continue;
            }

            var props = schema["properties"] as JsonObject;
            if (props?[k] is JsonObject ps)
            {
                Check(v, ps, k, errors, unknownFields, obj, k);
            }
            else if (!Preserves(schema))
            {
                unknownFields.Add(k);
                obj.Remove(k);
            }
        }

        CheckRequired(obj, schema, "", errors);
    }

    private static bool Preserves(JsonObject schema) => (bool?)schema["x-kubernetes-preserve-unknown-fields"] == true;

    private static void CheckRequired(JsonObject obj, JsonObject schema, string path, List<FieldError> errors)
    {
        if (schema["required"] is JsonArray req)
        {
            foreach (var r in req.Select(r => (string?)r).OfType<string>())
            {
                if (r is "apiVersion" or "kind" or "metadata")
                {
                    continue;
                }

                if (!obj.ContainsKey(r))
                {
                    errors.Add(FieldError.Required(path.Length == 0 ? r : path + "." + r));
                }
            }
        }
    }

    private static void Check(JsonNode? value, JsonObject schema, string path, List<FieldError> errors, List<string> unknown,
        JsonNode? parent, object slot)
    {
        if (value is null)
        {
            if ((bool?)schema["nullable"] != true)
            {
                // Real servers drop nulls for non-nullable fields.
                if (parent is JsonObject po && slot is string key)
                {
                    po.Remove(key);
                }
            }

            return;
        }

        var type = (string?)schema["type"];
        var intOrString = (bool?)schema["x-kubernetes-int-or-string"] == true;
        var actual = TypeOf(value);
        if (intOrString)
        {
            if (actual is not ("integer" or "string"))
            {
                errors.Add(FieldError.TypeInvalid(path, Show(value), $"{path} in body must be of type int-or-string: \"{actual}\""));
                return;
            }
        }
        else if (type is not null && !(type == actual || (type == "number" && actual == "integer")))
        {
            errors.Add(FieldError.TypeInvalid(path, Show(value), $"{path} in body must be of type {type}: \"{actual}\""));
            return;
        }

        if (schema["enum"] is JsonArray en && !en.Any(e => JsonNode.DeepEquals(e, value)))
        {
            errors.Add(FieldError.NotSupported(path, Show(value), en.Select(e => e?.ToString() ?? "null")));
        }

        switch (value)
        {
            case JsonObject o:
            {
                var props = schema["properties"] as JsonObject;
                var additional = schema["additionalProperties"] as JsonObject;
                foreach (var (k, v) in o.ToList())
                {
                    var childPath = path + "." + k;
                    if (props?[k] is JsonObject ps)
                    {
                        Check(v, ps, childPath, errors, unknown, o, k);
                    }
                    else if (additional is not null)
                    {
                        Check(v, additional, childPath, errors, unknown, o, k);
                    }
                    else if (props is not null && !Preserves(schema) && (bool?)schema["additionalProperties"] != true)
                    {
                        unknown.Add(childPath);
                        o.Remove(k);
                    }
                }

                CheckRequired(o, schema, path, errors);
                if (schema["maxProperties"] is JsonValue mp && o.Count > (long)mp)
                {
                    errors.Add(new FieldError(path, "FieldValueTooMany", $"Too many: {o.Count}: must have at most {mp} items"));
                }

                break;
            }

            case JsonArray a:
            {
                if (schema["items"] is JsonObject items)
                {
                    for (var i = 0; i < a.Count; i++)
                    {
                        Check(a[i], items, $"{path}[{i}]", errors, unknown, a, i);
                    }
                }

                if (schema["minItems"] is JsonValue mi && a.Count < (long)mi)
                {
                    errors.Add(FieldError.Invalid(path, Show(value), $"{path} in body should have at least {mi} items"));
                }

                if (schema["maxItems"] is JsonValue ma && a.Count > (long)ma)
                {
                    errors.Add(new FieldError(path, "FieldValueTooMany", $"Too many: {a.Count}: must have at most {ma} items"));
                }

                break;
            }

            case JsonValue v when actual == "string":
            {
                var s = v.ToString();
                if (schema["pattern"] is JsonValue pat && !Regex.IsMatch(s, pat.ToString(), RegexOptions.None, TimeSpan.FromSeconds(1)))
                {
                    errors.Add(FieldError.Invalid(path, s, $"{path} in body should match '{pat}'"));
                }

                if (schema["minLength"] is JsonValue minL && s.Length < (long)minL)
                {
                    errors.Add(FieldError.Invalid(path, s, $"{path} in body should be at least {minL} chars long"));
                }

                if (schema["maxLength"] is JsonValue maxL && s.Length > (long)maxL)
                {
                    errors.Add(new FieldError(path, "FieldValueTooLong", $"Too long: may not be more than {maxL} bytes"));
                }

                break;
            }

            case JsonValue v when actual is "integer" or "number":
            {
                var d = double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture);
                if (schema["minimum"] is JsonValue min && d < (double)min)
                {
                    errors.Add(FieldError.Invalid(path, v.ToJsonString(), $"{path} in body should be greater than or equal to {min}"));
                }

                if (schema["maximum"] is JsonValue max && d > (double)max)
                {
                    errors.Add(FieldError.Invalid(path, v.ToJsonString(), $"{path} in body should be less than or equal to {max}"));
                }

                break;
            }
        }
    }

    private static string TypeOf(JsonNode node) => node switch
    {
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            System.Text.Json.JsonValueKind.String => "string",
            System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => "boolean",
            System.Text.Json.JsonValueKind.Number => IsInteger(v) ? "integer" : "number",
            _ => "null",
        },
        _ => "null",
    };

    private static bool IsInteger(JsonValue v)
    {
        var text = v.ToJsonString();
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
            || (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && Math.Abs(d % 1) == 0 && !text.Contains('.', StringComparison.Ordinal));
    }

    private static string Show(JsonNode node) => node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.ToString() : node.ToJsonString();
}
