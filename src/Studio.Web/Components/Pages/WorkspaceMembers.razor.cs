using Microsoft.AspNetCore.Components;
using MudBlazor;
using Studio.Domain.Common;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Workspaces;
using Studio.Web.Components.Dialogs;
using Studio.Web.Model;

namespace Studio.Web.Components.Pages;

public partial class WorkspaceMembers
{
    private IReadOnlyList<MemberSummary>? _members;
    private bool _canManage;
    private string? _error;

    [Parameter]
    public string Name { get; set; } = string.Empty;

    [Inject]
    public required WorkspaceService Workspaces { get; init; }

    protected override async Task OnParametersSetAsync() => await LoadAsync();

    private async Task LoadAsync()
    {
        var actor = await GetActorAsync();
        var workspace = await Workspaces.GetAsync(actor, Name, CircuitToken);
        if (!workspace.IsSuccess)
        {
            _error = workspace.Errors[0].Message;
            return;
        }

        _canManage = workspace.Value.YourRole == WorkspaceRole.Administrator;
        var members = await Workspaces.ListMembersAsync(actor, Name, CircuitToken);
        _members = members.IsSuccess ? members.Value : [];
    }

    private Task AddAsync() => EditAsync(new DialogParameters<MemberDialog>());

    private Task ChangeRoleAsync(MemberSummary member) => EditAsync(new DialogParameters<MemberDialog>
    {
        { d => d.UserId, member.UserId },
        { d => d.Role, member.Role },
    });

    private async Task EditAsync(DialogParameters<MemberDialog> parameters)
    {
        var dialog = await Dialogs.ShowAsync<MemberDialog>("Member", parameters);
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: MemberEdit edit })
        {
            Report(await Workspaces.SetMemberAsync(await GetActorAsync(), Name, edit.UserId, edit.DisplayName, edit.Role, CircuitToken), $"{edit.UserId} is now {edit.Role}.");
            await LoadAsync();
        }
    }

    private async Task RemoveAsync(MemberSummary member)
    {
        var parameters = new DialogParameters<ConfirmDialog>
        {
            { d => d.Title, $"Remove {member.UserId} from {Name}?" },
            { d => d.ConfirmText, "Remove" },
        };
        var dialog = await Dialogs.ShowAsync<ConfirmDialog>("Remove member", parameters);
        var confirmed = await dialog.Result;
        if (confirmed is { Canceled: false })
        {
            Report(await Workspaces.RemoveMemberAsync(await GetActorAsync(), Name, member.UserId, CircuitToken), $"{member.UserId} removed.");
            await LoadAsync();
        }
    }

    private void Report(Result result, string success) =>
        Snackbar.Add(result.IsSuccess ? success : result.Errors[0].Message, result.IsSuccess ? Severity.Success : Severity.Error);
}
