using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Studio.Domain.Workspaces;
using Studio.Web.Model;
using Studio.Web.Security;

namespace Studio.Web.Components.Controls;

/// <summary>
/// Base for components that act on behalf of the signed-in person: who they are, and a token that ends with the
/// circuit for the work they start. Pages derive from <see cref="StudioPage"/>, which adds the common page services.
/// </summary>
public abstract class StudioComponentBase : ComponentBase
{
    [CascadingParameter]
    public Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    public required CircuitLifetime Circuit { get; init; }

    /// <summary>Ends with the circuit: pass it to service calls instead of <see cref="CancellationToken.None"/>.</summary>
    protected CancellationToken CircuitToken => Circuit.Token;

    protected async Task<Actor> GetActorAsync()
    {
        var state = AuthenticationState is null ? null : await AuthenticationState;
        return state?.User.ToActor() ?? new Actor("anonymous", "Anonymous", null);
    }
}
