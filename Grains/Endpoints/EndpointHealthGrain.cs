using Eventd.Grains.Interfaces;
using Eventd.Grains.Interfaces.Options;
using Microsoft.Extensions.Options;

namespace Eventd.Grains.Endpoints;

/// <summary>
/// One endpoint of one project (key <c>{project}/{origin}</c>): counts the failed and delivered attempts
/// the silos report (see <see cref="EndpointGate"/>), disables by <see cref="EndpointHealthRules"/>, and
/// writes its entry in <see cref="EndpointIndex"/> with each state write.
/// </summary>
public sealed class EndpointHealthGrain(
    [PersistentState(EndpointHealthState.Name, StorageNames.Default)] IPersistentState<EndpointHealthState> state,
    EndpointIndex index,
    IOptions<DeliveryOptions> options) : Grain, IEndpointHealthGrain
{
    private EndpointHealthState S => state.State;

    private string Project => this.GetPrimaryKeyString()[..this.GetPrimaryKeyString().IndexOf('/')];

    private string Origin => this.GetPrimaryKeyString()[(Project.Length + 1)..];

    public Task<EndpointView> Get() => Task.FromResult(View());

    public Task<EndpointView> Failed(EndpointFailures failures) =>
        ChangeAsync(s => EndpointHealthRules.Failed(s, failures, options.Value.DisableAfter));

    public Task<EndpointView> Succeeded(DateTimeOffset at) => ChangeAsync(s => EndpointHealthRules.Succeeded(s, at));

    public async Task<bool> Enable()
    {
        if (!state.RecordExists)
        {
            return false;
        }

        await ChangeAsync(EndpointHealthRules.Enable);
        return true;
    }

    private async Task<EndpointView> ChangeAsync(Action<EndpointHealthState> change)
    {
        change(S);
        await state.WriteStateAsync();
        var view = View();

        // After the state: a crash in between leaves an index entry one change behind, which the next change rewrites.
        await index.WriteAsync(Project, view);
        return view;
    }

    private EndpointView View() => EndpointHealthRules.View(S, Origin, state.RecordExists);
}
