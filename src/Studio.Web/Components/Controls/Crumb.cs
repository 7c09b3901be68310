namespace Studio.Web.Components.Controls;

/// <summary>One step of a page's breadcrumb trail; the last step has no link.</summary>
public sealed record Crumb(string Text, string? Href = null);
