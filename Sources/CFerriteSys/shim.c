#include "CFerriteSys.h"
