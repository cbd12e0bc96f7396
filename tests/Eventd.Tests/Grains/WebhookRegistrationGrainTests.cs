using System.Collections.Immutable;
using System.Text.Json;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Webhooks;
using Eventd.TestSupport;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Eventd.Tests.Grains;

/// <summary>
/// The webhook register in grains: each hook's grain and the list over its project's index. Each test
/// registers under a project of its own, so its list shows only its hooks.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class WebhookRegistrationGrainTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private IGrainFactory Grains => fixture.Cluster.Client;

    private IWebhookRegistrationGrain Hook(string id) => Grains.GetGrain<IWebhookRegistrationGrain>(id);

    private IWebhookListGrain List => Grains.GetGrain<IWebhookListGrain>(0);

    private static string NewProject() => $"p-{Guid.NewGuid():N}";

    private static NewWebhook NewHook(string project, string? url = null, string userId = "u-1", string? plan = null) => new()
    {
        Project = project,
        UserId = userId,
        Args = plan is null ? ImmutableSortedDictionary<string, string>.Empty : ImmutableSortedDictionary<string, string>.Empty.Add("plan", plan),
        Url = url,
        Method = url is null ? null : "PUT",
    };

    private async Task<string> RegisterAsync(NewWebhook hook)
    {
        var id = Events.NewId();
        await Hook(id).Register(hook);
        return id;
    }

    [Fact]
    public async Task A_registered_hook_reads_back_with_no_triggers_and_an_unknown_id_reads_null()
    {
        var project = NewProject();
        var id = Events.NewId();
        var before = DateTimeOffset.UtcNow;

        var registered = await Hook(id).Register(NewHook(project, "http://127.0.0.1:1/h", "u-7", "pro"));

        var read = await Hook(id).Get();
        Assert.NotNull(read);
        var hook = read.Registration;
        Assert.Equal(registered.CreatedAt, hook.CreatedAt);
        Assert.Equal((id, project, "u-7", "http://127.0.0.1:1/h", "PUT"), (hook.Id, hook.Project, hook.UserId, hook.Url, hook.Method));
        Assert.Equal("pro", hook.Args["plan"]);
        Assert.InRange(hook.CreatedAt, before, DateTimeOffset.UtcNow);
        Assert.Equal(0, read.TriggerCount);
        Assert.Null(read.LastTriggeredAt);
        Assert.Null(await Hook(Events.NewId()).Get());
    }

    [Fact]
    public async Task Registering_an_id_twice_keeps_the_first()
    {
        var id = Events.NewId();
        var first = await Hook(id).Register(NewHook(NewProject(), userId: "first"));

        var second = await Hook(id).Register(NewHook(NewProject(), userId: "second"));

        Assert.Equal((first.UserId, first.Project, first.CreatedAt), (second.UserId, second.Project, second.CreatedAt));
        Assert.Equal("first", (await Hook(id).Get())?.Registration.UserId);
    }

    [Fact]
    public async Task A_trigger_counts_and_creates_one_event_that_delivers_the_user_the_arguments_and_the_body()
    {
        var project = NewProject();
        var path = $"/webhook-trigger/{Guid.NewGuid():N}";
        var id = await RegisterAsync(NewHook(project, fixture.Receiver.Url(path), "u-42", "pro"));
        var before = DateTimeOffset.UtcNow;

        var triggered = await Hook(id).Trigger(null, Events.NewId(), """{"order":7}""");

        Assert.Equal(WebhookOutcome.Done, triggered.Outcome);
        Assert.Equal("u-42", triggered.UserId);
        Assert.NotNull(triggered.EventId);
        var counted = await Hook(id).Get();
        Assert.Equal(1, counted!.TriggerCount);
        Assert.InRange(counted.LastTriggeredAt!.Value, before, DateTimeOffset.UtcNow);

        var delivered = await Poll.UntilAsync(
            () => Grains.GetGrain<IScheduledEventGrain>(triggered.EventId).Get(), e => e?.Status == EventStatus.Delivered, Deadline, "the trigger's event to be delivered");
        Assert.Equal(("webhook", project), (delivered!.Spec.Type, delivered.Spec.Project));
        var request = Assert.Single(fixture.Receiver.ReceivedOn(path));
        Assert.Equal("PUT", request.Method);
        Assert.Equal($"{triggered.EventId}.1", request.Header("webhook-id"));
        var payload = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal(id, payload.GetProperty("id").GetString());
        Assert.Equal("u-42", payload.GetProperty("userid").GetString());
        Assert.Equal("pro", payload.GetProperty("args").GetProperty("plan").GetString());
        Assert.Equal(counted.LastTriggeredAt.Value.UtcDateTime, payload.GetProperty("triggeredAt").GetDateTime());
        Assert.Equal(7, payload.GetProperty("body").GetProperty("order").GetInt32());
    }

    [Fact]
    public async Task A_hook_without_a_url_counts_its_triggers_and_creates_no_event()
    {
        var id = await RegisterAsync(NewHook(NewProject()));

        var triggered = await Hook(id).Trigger(null, Events.NewId(), null);

        Assert.Equal(new WebhookTriggered(WebhookOutcome.Done, "u-1", null), triggered);
        Assert.Equal(1, (await Hook(id).Get())?.TriggerCount);
    }

    [Fact]
    public async Task A_trigger_run_again_with_its_event_id_is_one_event_counted_once_and_delivered_once()
    {
        var path = $"/webhook-rerun/{Guid.NewGuid():N}";
        var id = await RegisterAsync(NewHook(NewProject(), fixture.Receiver.Url(path)));
        var eventId = Events.NewId();

        var first = await Hook(id).Trigger(null, eventId, """{"n":1}""");
        var rerun = await Hook(id).Trigger(null, eventId, """{"n":1}""");

        Assert.Equal(first, rerun);
        Assert.Equal(eventId, rerun.EventId);
        Assert.Equal(1, (await Hook(id).Get())?.TriggerCount);
        await AssertDeliveredOnceAsync(path, eventId, await ControlTriggerAsync(id));
    }

    [Fact]
    public async Task A_trigger_whose_event_was_created_but_not_counted_is_counted_once_when_run_again()
    {
        // As when the first attempt's silo or gateway died between creating the event and counting it.
        var path = $"/webhook-uncounted/{Guid.NewGuid():N}";
        var id = await RegisterAsync(NewHook(NewProject(), fixture.Receiver.Url(path)));
        var eventId = Events.NewId();
        await Grains.GetGrain<IEventIntakeGrain>(0).Create(eventId, Events.Webhook(fixture.Receiver.Url(path), TimeSpan.Zero));

        var rerun = await Hook(id).Trigger(null, eventId, null);

        Assert.Equal(eventId, rerun.EventId);
        Assert.Equal(1, (await Hook(id).Get())?.TriggerCount);
        await AssertDeliveredOnceAsync(path, eventId, await ControlTriggerAsync(id));
    }

    [Fact]
    public async Task A_hook_without_a_url_counts_a_trigger_run_again_with_its_id_once()
    {
        var id = await RegisterAsync(NewHook(NewProject()));
        var eventId = Events.NewId();

        await Hook(id).Trigger(null, eventId, null);
        await Hook(id).Trigger(null, eventId, null);
        await Hook(id).Trigger(null, Events.NewId(), null);

        Assert.Equal(2, (await Hook(id).Get())?.TriggerCount);
    }

    /// <summary>A later trigger of the same hook with an id of its own: once it is delivered, any second delivery of the first would have come.</summary>
    private async Task<string> ControlTriggerAsync(string hookId) => (await Hook(hookId).Trigger(null, Events.NewId(), null)).EventId!;

    private async Task AssertDeliveredOnceAsync(string path, string eventId, string controlId)
    {
        await Poll.UntilAsync(
            () => Grains.GetGrain<IScheduledEventGrain>(controlId).Get(), e => e?.Status == EventStatus.Delivered, Deadline, "the control trigger's event to be delivered");
        await Poll.UntilAsync(
            () => Grains.GetGrain<IScheduledEventGrain>(eventId).Get(), e => e?.Status == EventStatus.Delivered, Deadline, "the trigger's event to be delivered");
        var webhookIds = fixture.Receiver.ReceivedOn(path).Select(r => r.Header("webhook-id")).ToList();
        Assert.Single(webhookIds, $"{eventId}.1");
        Assert.Single(webhookIds, $"{controlId}.1");
        Assert.Equal(1, (await Grains.GetGrain<IScheduledEventGrain>(eventId).Get())?.FireCount);
    }

    [Fact]
    public async Task Triggers_of_one_hook_racing_each_other_are_all_counted_and_each_delivered()
    {
        const int Triggers = 20;
        var path = $"/webhook-race/{Guid.NewGuid():N}";
        var id = await RegisterAsync(NewHook(NewProject(), fixture.Receiver.Url(path)));

        var triggered = await Task.WhenAll(Enumerable.Range(0, Triggers).Select(n => Task.Run(() => Hook(id).Trigger(null, Events.NewId(), $$"""{"n":{{n}}}"""))));

        Assert.All(triggered, t => Assert.Equal(WebhookOutcome.Done, t.Outcome));
        Assert.Equal(Triggers, triggered.Select(t => t.EventId).Distinct().Count());
        Assert.Equal(Triggers, (await Hook(id).Get())?.TriggerCount);
        await Poll.UntilAsync(() => fixture.Receiver.ReceivedOn(path).Count >= Triggers, Deadline, "every trigger's delivery");
        var bodies = fixture.Receiver.ReceivedOn(path)
            .Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("body").GetProperty("n").GetInt32())
            .Distinct();
        Assert.Equal(Enumerable.Range(0, Triggers), bodies.Order());
    }

    [Fact]
    public async Task A_deleted_hook_refuses_triggers_reads_null_and_leaves_the_list()
    {
        var project = NewProject();
        var path = $"/webhook-deleted/{Guid.NewGuid():N}";
        var id = await RegisterAsync(NewHook(project, fixture.Receiver.Url(path)));
        var control = await RegisterAsync(NewHook(project));

        Assert.Equal(WebhookOutcome.Done, await Hook(id).Delete(null));

        Assert.Equal(WebhookOutcome.NotFound, (await Hook(id).Trigger(null, Events.NewId(), null)).Outcome);
        Assert.Null(await Hook(id).Get());
        Assert.Equal(WebhookOutcome.NotFound, await Hook(id).Delete(null));
        var page = await List.Page(project, 1, 20);
        Assert.Equal([control], page.Items.Select(h => h.Registration.Id));
        Assert.Equal(1, page.Total);
        Assert.Empty(fixture.Receiver.ReceivedOn(path));
    }

    [Fact]
    public async Task A_caller_of_another_project_can_neither_trigger_nor_delete_the_hook()
    {
        var path = $"/webhook-foreign/{Guid.NewGuid():N}";
        var id = await RegisterAsync(NewHook("alpha", fixture.Receiver.Url(path)));

        Assert.Equal(WebhookOutcome.OtherProject, (await Hook(id).Trigger("beta", Events.NewId(), null)).Outcome);
        Assert.Equal(WebhookOutcome.OtherProject, await Hook(id).Delete("beta"));

        var own = await Hook(id).Trigger("alpha", Events.NewId(), null);
        Assert.Equal(WebhookOutcome.Done, own.Outcome);
        Assert.NotNull(own.EventId);
        Assert.Equal(1, (await Hook(id).Get())?.TriggerCount);

        // The owner's delivery arriving alone shows the refused trigger created none.
        await Poll.UntilAsync(() => fixture.Receiver.ReceivedOn(path).Count >= 1, Deadline, "the owner's delivery");
        await Poll.UntilAsync(
            () => Grains.GetGrain<IScheduledEventGrain>(own.EventId).Get(), e => e?.Status == EventStatus.Delivered, Deadline, "the owner's event to settle");
        Assert.Single(fixture.Receiver.ReceivedOn(path));
    }

    [Fact]
    public async Task The_list_pages_a_projects_hooks_newest_first_with_their_counts()
    {
        var project = NewProject();
        var first = await RegisterAsync(NewHook(project, userId: "a"));
        var second = await RegisterAsync(NewHook(project, userId: "b"));
        var third = await RegisterAsync(NewHook(project, userId: "c"));
        await RegisterAsync(NewHook(NewProject()));
        await Hook(second).Trigger(null, Events.NewId(), null);
        await Hook(second).Trigger(null, Events.NewId(), null);

        var firstPage = await List.Page(project, 1, 2);
        var secondPage = await List.Page(project, 2, 2);

        Assert.Equal([third, second], firstPage.Items.Select(h => h.Registration.Id));
        Assert.Equal([first], secondPage.Items.Select(h => h.Registration.Id));
        Assert.Equal((3, 3), (firstPage.Total, secondPage.Total));
        Assert.Equal([0, 2], firstPage.Items.Select(h => h.TriggerCount));
        Assert.NotNull(firstPage.Items[1].LastTriggeredAt);
        Assert.Empty((await List.Page(project, 3, 2)).Items);
    }

    [Fact]
    public async Task A_listed_id_whose_hook_was_never_stored_is_skipped()
    {
        var project = NewProject();
        var stored = await RegisterAsync(NewHook(project));

        // As a register that died between its index entry and its state leaves the index.
        var index = new WebhookIndex(fixture.RedisClient, Options.Create(new ClusterOptions { ServiceId = fixture.Cluster.Options.ServiceId }));
        await index.AddAsync(project, Events.NewId(), DateTimeOffset.UtcNow);

        var page = await List.Page(project, 1, 20);

        Assert.Equal([stored], page.Items.Select(h => h.Registration.Id));
    }
}
