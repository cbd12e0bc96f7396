namespace Eventd.Grains.Interfaces;

/// <summary>One event of a batch handed to <see cref="IEventIntakeGrain.CreateMany"/>.</summary>
[GenerateSerializer, Immutable, Alias("Eventd.NewEvent")]
public sealed record NewEvent([property: Id(0)] string Id, [property: Id(1)] EventSpec Spec);
