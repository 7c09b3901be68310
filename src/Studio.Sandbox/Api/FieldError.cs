namespace Studio.Sandbox.Api;

/// <summary>One field-level validation error (<c>details.causes[]</c> of an Invalid status).</summary>
internal sealed record FieldError(string Field, string Reason, string Message)
{
    public static FieldError Required(string field, string? detail = null) =>
        new(field, "FieldValueRequired", detail is null ? "Required value" : "Required value: " + detail);

    public static FieldError Invalid(string field, string value, string detail) =>
        new(field, "FieldValueInvalid", $"Invalid value: \"{value}\": {detail}");

    public static FieldError NotSupported(string field, string value, IEnumerable<string> allowed) =>
        new(field, "FieldValueNotSupported",
            $"Unsupported value: \"{value}\": supported values: {string.Join(", ", allowed.Select(a => "\"" + a + "\""))}");

    public static FieldError TypeInvalid(string field, string value, string detail) =>
        new(field, "FieldValueTypeInvalid", $"Invalid value: \"{value}\": {detail}");

    public static FieldError Forbidden(string field, string detail) => new(field, "FieldValueForbidden", "Forbidden: " + detail);

    public override string ToString() => Field + ": " + Message;
}
