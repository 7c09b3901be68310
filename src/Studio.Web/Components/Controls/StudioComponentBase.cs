using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Studio.Domain.Workspaces;
using Studio.Web.Security;

namespace Studio.Web.Components.Controls;

/// <summary>Base for components that act on behalf of the signed-in person.</summary>
public abstract class StudioComponentBase : ComponentBase
{
    [CascadingParameter]
    public Task<AuthenticationState>? AuthenticationState { get; set; }

    protected async Task<Actor> GetActorAsync()
    {
        var state = AuthenticationState is null ? null : await AuthenticationState;
        return state?.User.ToActor() ?? new Actor("anonymous", "Anonymous", null);
    }
}
