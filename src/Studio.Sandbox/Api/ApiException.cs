using System.Text.Json.Nodes;

namespace Studio.Sandbox.Api;

/// <summary>An API error that is answered as a Kubernetes <c>Status</c> object.</summary>
internal sealed class ApiException : Exception
{
    public ApiException(int code, string reason, string message, JsonObject? details = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    public int Code { get; }
    public string Reason { get; }
    public JsonObject? Details { get; }

    public static string Qualified(string plural, string group) => group.Length == 0 ? plural : plural + "." + group;

    public static ApiException NotFound(string plural, string group, string name) =>
        new(404, "NotFound", $"{Qualified(plural, group)} \"{name}\" not found", MakeDetails(name, plural, group));

    public static ApiException AlreadyExists(string plural, string group, string name) =>
        new(409, "AlreadyExists", $"{Qualified(plural, group)} \"{name}\" already exists", MakeDetails(name, plural, group));

    public static ApiException Conflict(string plural, string group, string name, string? why = null) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {Qualified(plural, group)} \"{name}\": " +
            (why ?? "the object has been modified; please apply your changes to the latest version and try again"),
            MakeDetails(name, plural, group));

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    public static ApiException Gone(string message) => new(410, "Expired", message);

    public static ApiException TooManyRequests(string message) =>
        new(429, "TooManyRequests", message, new JsonObject { ["retryAfterSeconds"] = 1 });

    public static ApiException Forbidden(string plural, string group, string name, string message) =>
        new(403, "Forbidden", $"{Qualified(plural, group)} \"{name}\" is forbidden: {message}", MakeDetails(name, plural, group));

    public static ApiException Invalid(string kind, string group, string name, IReadOnlyList<FieldError> errors)
    {
        var causes = new JsonArray();
        foreach (var e in errors)
        {
            causes.Add(new JsonObject { ["reason"] = e.Reason, ["message"] = e.Message, ["field"] = e.Field });
        }

        var details = MakeDetails(name, kind, group);
        details["causes"] = causes;
        var summary = errors.Count == 1
            ? errors[0].ToString()
            : "[" + string.Join(", ", errors.Select(e => e.ToString())) + "]";
        return new ApiException(422, "Invalid", $"{(group.Length == 0 ? kind : kind + "." + group)} \"{name}\" is invalid: {summary}", details);
    }

    public JsonObject ToStatus() => StatusObject("Failure", Message, Reason, Code, Details);

    public static JsonObject StatusObject(string status, string message, string? reason, int code, JsonObject? details = null)
    {
        var o = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = status,
            ["message"] = message,
        };
        if (reason is not null)
        {
            o["reason"] = reason;
        }

        if (details is not null)
        {
            o["details"] = details.DeepClone();
        }

        o["code"] = code;
        return o;
    }

    private static JsonObject MakeDetails(string name, string kind, string group)
    {
        var d = new JsonObject { ["name"] = name };
        if (group.Length > 0)
        {
            d["group"] = group;
        }

        d["kind"] = kind;
        return d;
    }
}
