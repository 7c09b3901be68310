namespace Studio.Web.Components.Dialogs;

/// <summary>One editable nodeSelector entry of the instance type form.</summary>
public sealed class SelectorRow
{
    public string? Key { get; set; }

    public string? Value { get; set; }
}
