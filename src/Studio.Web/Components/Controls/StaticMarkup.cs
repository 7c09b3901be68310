using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace Studio.Web.Components.Controls;

/// <summary>
/// A component rendered to HTML outside any circuit (<see cref="HtmlRenderer"/> in a fresh service scope), for markup
/// that many circuits share as one string: the theme CSS (<c>ThemeCss</c>) and the charts (<see cref="ChartMarkup"/>).
/// </summary>
public static class StaticMarkup
{
    /// <summary>The HTML <typeparamref name="TComponent"/> renders with <paramref name="parameters"/>.</summary>
    public static async Task<string> RenderAsync<TComponent>(IServiceScopeFactory scopes, ILoggerFactory loggers, IDictionary<string, object?> parameters)
        where TComponent : IComponent
    {
        await using var scope = scopes.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, loggers);
        return await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters))).ToHtmlString());
    }
}
