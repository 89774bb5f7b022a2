"""The list of passages given to the model; cited ones are marked once the answer is done."""

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option


def score_label(score: float) -> str:
    """The passage's similarity to the question, as shown beside its title."""
    return f"{score:.2f}"


class SourcesPanel(OptionList):
    class PassageChosen(Message):
        def __init__(self, passage) -> None:
            self.passage = passage
            super().__init__()

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.passages: list = []

    def show_passages(self, passages: list, cited: set[int] | None = None) -> None:
        self.passages = list(passages)
        self.clear_options()
        for passage in passages:
            mark = "●" if cited and passage.n in cited else " "
            # Content(...) is plain text: titles from the corpus are never parsed as markup.
            label = Content(f"{mark} [{passage.n}] {passage.title}  ·  {score_label(passage.score)}")
            self.add_option(Option(label, id=str(passage.n)))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.PassageChosen(self.passages[event.option_index]))
