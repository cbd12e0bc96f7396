using Eventd.Grains.Interfaces;
using Orleans.Concurrency;

namespace Eventd.Grains.Webhooks;

/// <summary>
/// Reads a page of a project's index, then each listed hook from its own grain, all at once. An id whose
/// grain has no hook (a register or delete cut short between its two writes) is left out.
/// </summary>
[StatelessWorker]
[Reentrant] // A page waits on Redis and on its hooks' grains; one worker should serve many lists meanwhile.
public sealed class WebhookListGrain(WebhookIndex index) : Grain, IWebhookListGrain
{
    public async Task<WebhookPage> Page(string project, int page, int pageSize)
    {
        var (ids, total) = await index.PageAsync(project, page, pageSize);
        var hooks = await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<IWebhookRegistrationGrain>(id).Get()));
        return new WebhookPage([.. hooks.OfType<WebhookRecord>()], total);
    }
}
