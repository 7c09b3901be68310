namespace Studio.Web.Components.Controls;

/// <summary>One page of a server list: what the URL asks for.</summary>
/// <param name="Filter">The text filter (<c>?q=</c>), trimmed; null when empty.</param>
/// <param name="Page">Zero-based page.</param>
/// <param name="PageSize">Rows per page.</param>
/// <param name="Sort">The sort column's key (its title in lower case, spaces as dashes), or null for the list's own order.</param>
/// <param name="Descending">Whether <paramref name="Sort"/> runs high to low.</param>
public sealed record ListRequest(string? Filter, int Page, int PageSize, string? Sort, bool Descending);

/// <summary>One page of rows read on the server, the total that matched, and why it could not be read (if it could not).</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, int Total, string? Problem = null);
