using Studio.Domain.Common;

namespace Studio.Web.Components.Dialogs;

/// <summary>How a dialog shows a service's errors: each one that names a field under that field, the others as the dialog's one general message.</summary>
internal static class FormErrors
{
    /// <summary>Puts each error that names a field into <paramref name="fields"/>; returns the message of the last one that names none (null when every error names a field).</summary>
    public static string? Show(IEnumerable<Error> errors, IDictionary<string, string> fields)
    {
        string? general = null;
        foreach (var error in errors)
        {
            if (error.Field is not null)
            {
                fields[error.Field] = error.Message;
            }
            else
            {
                general = error.Message;
            }
        }

        return general;
    }
}
